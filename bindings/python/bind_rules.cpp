// Python bindings of arscore::rules. Filled in by the rules issue.
#include "bindings.hpp"

namespace arscore::python {

void bind_rules(pybind11::module_& /*m*/) {}

}  // namespace arscore::python
