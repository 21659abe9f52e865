// Python bindings of arscore::risk. Filled in by the risk issue.
#include "bindings.hpp"

namespace arscore::python {

void bind_risk(pybind11::module_& /*m*/) {}

}  // namespace arscore::python
