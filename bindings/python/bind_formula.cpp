// Python bindings of arscore::formula. Filled in by the formula issue.
#include "bindings.hpp"

namespace arscore::python {

void bind_formula(pybind11::module_& /*m*/) {}

}  // namespace arscore::python
