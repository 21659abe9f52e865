#pragma once
// Declarations of the per-area binding functions that module.cpp calls, one per
// bind_<area>.cpp. Internal to the Python module.

#include <pybind11/pybind11.h>

namespace arscore::python {

void bind_core(pybind11::module_& m);
void bind_formula(pybind11::module_& m);
void bind_risk(pybind11::module_& m);
void bind_ledger(pybind11::module_& m);
void bind_rules(pybind11::module_& m);

}  // namespace arscore::python
