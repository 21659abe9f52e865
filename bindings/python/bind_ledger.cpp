// Python bindings of arscore::ledger. Filled in by the ledger issue.
#include "bindings.hpp"

namespace arscore::python {

void bind_ledger(pybind11::module_& /*m*/) {}

}  // namespace arscore::python
