// The _arscore extension module. It only calls one bind_<area> function per area;
// the arscore package's __init__.py re-exports the public names.
#include "bindings.hpp"

PYBIND11_MODULE(_arscore, m) {
  m.doc() = "arscore native extension; import the 'arscore' package instead.";
  arscore::python::bind_core(m);
  arscore::python::bind_formula(m);
  arscore::python::bind_risk(m);
  arscore::python::bind_ledger(m);
  arscore::python::bind_rules(m);
}
