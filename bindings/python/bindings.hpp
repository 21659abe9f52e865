#pragma once
// Declarations of the per-area binding functions that module.cpp calls, one per
// bind_<area>.cpp. Internal to the Python module.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <utility>
#include <vector>

namespace arscore::ledger {
class Ledger;
}  // namespace arscore::ledger

namespace arscore::python {

void bind_core(pybind11::module_& m);
void bind_formula(pybind11::module_& m);
void bind_risk(pybind11::module_& m);
void bind_ledger(pybind11::module_& m);
void bind_rules(pybind11::module_& m);

/// The C++ ledger inside an arscore._arscore._Ledger. Throws pybind11::cast_error for any
/// other object.
const arscore::ledger::Ledger& native_ledger(const pybind11::handle& object);

/// A numpy array that takes over `values` without copying (the array owns the vector).
template <typename T>
pybind11::array_t<T> to_array(std::vector<T>&& values) {
  auto* heap = new std::vector<T>(std::move(values));
  const pybind11::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return pybind11::array_t<T>(static_cast<pybind11::ssize_t>(heap->size()), heap->data(), owner);
}

}  // namespace arscore::python
