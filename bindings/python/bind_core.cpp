// Python bindings of arscore::core: the version, and arscore::Error as arscore.Error.
#include "arscore/core/error.hpp"
#include "arscore/core/version.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace arscore::python {
namespace {
// Owned by the module's "Error" attribute, which lives as long as the interpreter.
PyObject* error_type = nullptr;
}  // namespace

void bind_core(py::module_& m) {
  m.attr("__version__") = ARSCORE_VERSION_STRING;
  // Every arscore input error without a more specific Python class is an arscore.Error:
  // a ValueError whose .code attribute carries the stable code.
  error_type = py::exception<arscore::Error>(m, "Error", PyExc_ValueError).ptr();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) {
        std::rethrow_exception(p);
      }
    } catch (const arscore::Error& e) {
      py::object instance = py::reinterpret_borrow<py::object>(error_type)(e.what());
      instance.attr("code") = e.code();
      PyErr_SetObject(error_type, instance.ptr());
    }
  });
}

}  // namespace arscore::python
