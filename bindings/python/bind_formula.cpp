// Python bindings of arscore::formula: the native program object behind arscore.Formula and
// arscore.Sheet (bindings/python/arscore/_formula.py adds the Python-side conversions), and
// arscore.FormulaError.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <limits>

#include "arscore/formula.hpp"
#include "bindings.hpp"

namespace py = pybind11;
using namespace arscore::formula;

namespace arscore::python {
namespace {

PyObject* formula_error_type = nullptr;

Schema schema_from(const py::object& types) {
  if (types.is_none()) return Schema{};
  Schema schema;
  schema.open = false;
  for (const auto& item : types.cast<py::dict>()) {
    const auto name = item.first.cast<std::string>();
    const auto type_name = item.second.cast<std::string>();
    const auto type = parse_type(type_name);
    if (!type) {
      throw py::value_error("types['" + name + "'] is '" + type_name +
                            "'; expected 'number', 'bool', 'string' or 'date'");
    }
    schema.types.emplace(name, *type);
  }
  return schema;
}

Value to_value(const py::handle& object, const Variable& variable) {
  if (object.is_none()) return {};
  const auto mismatch = [&](const char* wanted) {
    return py::type_error("variable '" + variable.name + "' is a " + std::string(wanted) +
                          ", but the row gives " +
                          py::str(py::type::of(object).attr("__name__")).cast<std::string>());
  };
  switch (variable.type) {
    case Type::number: {
      if (py::isinstance<py::bool_>(object) || py::isinstance<py::str>(object))
        throw mismatch("number");
      try {
        const double x = py::float_(py::reinterpret_borrow<py::object>(object)).cast<double>();
        return x != x ? Value{} : Value{x};
      } catch (const py::error_already_set&) {
        throw mismatch("number");
      }
    }
    case Type::boolean:
      if (py::isinstance<py::bool_>(object) ||
          py::str(py::type::of(object).attr("__name__")).cast<std::string>() == "bool_") {
        return object.cast<bool>();
      }
      throw mismatch("bool");
    case Type::string:
      if (py::isinstance<py::str>(object)) return object.cast<std::string>();
      throw mismatch("string");
    case Type::date: {
      const py::module_ datetime = py::module_::import("datetime");
      if (py::isinstance(object, datetime.attr("date"))) {
        return Date::from_ymd(object.attr("year").cast<int>(), object.attr("month").cast<int>(),
                              object.attr("day").cast<int>());
      }
      throw mismatch("date");
    }
    case Type::null:
      break;
  }
  return {};
}

py::object to_python(const Value& value) {
  switch (value.index()) {
    case 1:
      return py::float_(std::get<double>(value));
    case 2:
      return py::bool_(std::get<bool>(value));
    case 3:
      return py::str(std::get<std::string>(value));
    case 4: {
      const Date d = std::get<Date>(value);
      return py::module_::import("datetime").attr("date")(d.year(), d.month(), d.day());
    }
    default:
      return py::none();
  }
}

std::vector<Value> row_from(const Program& program, const py::list& values) {
  const auto& variables = program.variables();
  std::vector<Value> row;
  row.reserve(variables.size());
  for (std::size_t i = 0; i < variables.size(); ++i)
    row.push_back(to_value(values[i], variables[i]));
  return row;
}

// One input column, converted by _formula.py into the arrays the native side reads:
// ("number", float64), ("bool", uint8 values, uint8 valid), ("date", int64),
// ("string", int32 codes, list of str).
struct ColumnHolder {
  py::array keep_a;
  py::array keep_b;
  std::vector<std::string> dictionary;
};

py::list evaluate_batch(const Program& program, const py::list& columns, std::size_t rows,
                        const py::object& out) {
  const auto& variables = program.variables();
  std::vector<ColumnHolder> holders(variables.size());
  std::vector<ColumnView> views;
  for (std::size_t i = 0; i < variables.size(); ++i) {
    const py::tuple column = columns[i].cast<py::tuple>();
    const auto kind = column[0].cast<std::string>();
    ColumnHolder& h = holders[i];
    if (kind == "number") {
      auto a = column[1].cast<py::array_t<double, py::array::c_style>>();
      h.keep_a = a;
      views.push_back(ColumnView::numbers({a.data(), static_cast<std::size_t>(a.size())}));
    } else if (kind == "bool") {
      auto a = column[1].cast<py::array_t<std::uint8_t, py::array::c_style>>();
      auto v = column[2].cast<py::array_t<std::uint8_t, py::array::c_style>>();
      h.keep_a = a;
      h.keep_b = v;
      views.push_back(ColumnView::booleans({a.data(), static_cast<std::size_t>(a.size())},
                                           {v.data(), static_cast<std::size_t>(v.size())}));
    } else if (kind == "date") {
      auto a = column[1].cast<py::array_t<std::int64_t, py::array::c_style>>();
      h.keep_a = a;
      views.push_back(ColumnView::dates({a.data(), static_cast<std::size_t>(a.size())}));
    } else {
      auto a = column[1].cast<py::array_t<std::int32_t, py::array::c_style>>();
      h.keep_a = a;
      h.dictionary = column[2].cast<std::vector<std::string>>();
      views.push_back(
          ColumnView::strings({a.data(), static_cast<std::size_t>(a.size())}, h.dictionary));
    }
  }
  const auto& outputs = program.outputs();
  std::vector<py::array> arrays;
  std::vector<py::array> masks;
  std::vector<std::vector<std::optional<std::string>>> strings(outputs.size());
  std::vector<OutputBuffer> buffers(outputs.size());
  const auto n = static_cast<py::ssize_t>(rows);
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    switch (outputs[o].type) {
      case Type::boolean: {
        py::array_t<std::uint8_t> values(n), mask(n);
        buffers[o].booleans = values.mutable_data();
        buffers[o].null_mask = mask.mutable_data();
        arrays.push_back(values);
        masks.push_back(mask);
        break;
      }
      case Type::date: {
        py::array_t<std::int64_t> values(n);
        buffers[o].dates = values.mutable_data();
        arrays.push_back(values);
        masks.emplace_back();
        break;
      }
      case Type::string:
        buffers[o].strings = &strings[o];
        arrays.emplace_back();
        masks.emplace_back();
        break;
      default: {
        // A number output may go into a caller's float64 array (out=), reused across calls.
        py::object given = out.is_none() ? py::object(py::none()) : out.cast<py::list>()[o];
        py::array_t<double> values;
        if (given.is_none()) {
          values = py::array_t<double>(n);
        } else {
          const py::array array = given.cast<py::array>();
          if (!array.dtype().is(py::dtype::of<double>()) || array.ndim() != 1 ||
              !(array.flags() & py::array::c_style) || !array.writeable() || array.shape(0) != n) {
            throw py::type_error("out for output '" + outputs[o].name +
                                 "' must be a writable, contiguous float64 array of " +
                                 std::to_string(rows) + " rows");
          }
          values = py::reinterpret_borrow<py::array_t<double>>(array);
        }
        buffers[o].numbers = values.mutable_data();
        arrays.push_back(values);
        masks.emplace_back();
      }
    }
  }
  {
    py::gil_scoped_release release;
    program.evaluate_batch(views, rows, buffers);
  }
  py::list result;
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    if (outputs[o].type == Type::string) {
      py::list values;
      for (const auto& s : strings[o]) values.append(s ? py::object(py::str(*s)) : py::none());
      result.append(values);
    } else if (outputs[o].type == Type::boolean) {
      result.append(py::make_tuple(arrays[o], masks[o]));
    } else {
      result.append(arrays[o]);
    }
  }
  return result;
}

}  // namespace

void bind_formula(py::module_& m) {
  // arscore.FormulaError(arscore.Error): .code .line .column .diagnostics; str() shows carets.
  py::object base = m.attr("Error");
  formula_error_type = PyErr_NewException("arscore.FormulaError", base.ptr(), nullptr);
  m.add_object("FormulaError", py::handle(formula_error_type));
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const FormulaError& e) {
      const auto& first = e.diagnostics().front();
      py::object instance =
          py::reinterpret_borrow<py::object>(formula_error_type)(std::string(e.message()));
      instance.attr("code") = e.code();
      instance.attr("line") = first.position.line;
      instance.attr("column") = first.position.column;
      py::list diagnostics;
      for (const auto& d : e.diagnostics()) {
        py::dict item;
        item["code"] = d.code;
        item["message"] = d.message;
        item["line"] = d.position.line;
        item["column"] = d.position.column;
        diagnostics.append(item);
      }
      instance.attr("diagnostics") = diagnostics;
      PyErr_SetObject(formula_error_type, instance.ptr());
    }
  });

  py::class_<Program>(m, "_Program")
      .def(py::init([](const std::string& text, const py::object& types, bool single) {
             CompileOptions options;
             options.schema = schema_from(types);
             return single ? Program::compile_expression(text, options)
                           : Program::compile(text, options);
           }),
           py::arg("text"), py::arg("types") = py::none(), py::arg("single") = true)
      .def_property_readonly("source", &Program::source)
      .def_property_readonly("variables",
                             [](const Program& p) {
                               std::vector<std::pair<std::string, std::string>> out;
                               for (const auto& v : p.variables()) {
                                 out.emplace_back(v.name, std::string(to_string(v.type)));
                               }
                               return out;
                             })
      .def_property_readonly("outputs",
                             [](const Program& p) {
                               std::vector<std::pair<std::string, std::string>> out;
                               for (const auto& o : p.outputs()) {
                                 out.emplace_back(o.name, std::string(to_string(o.type)));
                               }
                               return out;
                             })
      .def("evaluate",
           [](const Program& p, const py::list& values) {
             py::list out;
             for (const auto& v : p.evaluate(row_from(p, values))) out.append(to_python(v));
             return out;
           })
      .def("explain",
           [](const Program& p, const py::list& values) {
             py::list out;
             for (const auto& step : p.explain(row_from(p, values))) {
               out.append(py::make_tuple(step.text, to_python(step.value)));
             }
             return out;
           })
      .def("evaluate_batch", &evaluate_batch, py::arg("columns"), py::arg("rows"),
           py::arg("out") = py::none());
}

}  // namespace arscore::python
