// Python bindings of arscore::risk. The native names are private (leading underscore); the
// arscore package wraps them in LogisticRegression, Scorecard and arscore.metrics.
// Arrays are taken as C-contiguous float64 (converted when needed) and the GIL is released
// around the numerical work.
#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arscore/core/error.hpp"
#include "arscore/risk.hpp"
#include "bindings.hpp"

namespace py = pybind11;

namespace arscore::python {
namespace {

using risk::LogisticRegression;
using risk::RowMatrix;
using risk::Scorecard;

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using ConstRowMap = Eigen::Map<const RowMatrix>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXd>;

ConstRowMap matrix(const Array& a, const char* name) {
  if (a.ndim() != 2) {
    throw Error("risk.input.shape",
                fmt::format("{} must be 2-dimensional (rows × features), got {} dimension(s)", name,
                            a.ndim()));
  }
  return {a.data(), static_cast<Eigen::Index>(a.shape(0)), static_cast<Eigen::Index>(a.shape(1))};
}

ConstVectorMap vector(const Array& a, const char* name) {
  if (a.ndim() != 1) {
    throw Error("risk.input.shape",
                fmt::format("{} must be 1-dimensional, got {} dimension(s)", name, a.ndim()));
  }
  return {a.data(), static_cast<Eigen::Index>(a.shape(0))};
}

py::array_t<double> to_numpy(const Eigen::VectorXd& v) {
  py::array_t<double> out(v.size());
  std::copy(v.data(), v.data() + v.size(), out.mutable_data());
  return out;
}

py::array_t<double> to_numpy(const RowMatrix& m) {
  py::array_t<double> out({m.rows(), m.cols()});
  std::copy(m.data(), m.data() + m.size(), out.mutable_data());
  return out;
}

risk::ClassWeight class_weight(const py::object& spec) {
  risk::ClassWeight cw;
  if (spec.is_none()) {
    return cw;
  }
  if (py::isinstance<py::str>(spec)) {
    if (spec.cast<std::string>() != "balanced") {
      throw Error("risk.input.option",
                  fmt::format("class_weight must be None, \"balanced\" or a dict {{0: w0, 1: w1}}, "
                              "got \"{}\"",
                              spec.cast<std::string>()));
    }
    cw.balanced = true;
    return cw;
  }
  if (py::isinstance<py::dict>(spec)) {
    for (const auto& [key, value] : spec.cast<py::dict>()) {
      const double k = key.cast<double>();
      const double w = value.cast<double>();
      if (k == 0.0) {
        cw.weight0 = w;
      } else if (k == 1.0) {
        cw.weight1 = w;
      } else {
        throw Error("risk.input.option", fmt::format("class_weight keys must be 0 or 1, got {}",
                                                     py::str(key).cast<std::string>()));
      }
    }
    return cw;
  }
  throw Error("risk.input.option",
              "class_weight must be None, \"balanced\" or a dict {0: w0, 1: w1}");
}

py::object class_weight_spec(const risk::ClassWeight& cw) {
  if (cw.balanced) {
    return py::str("balanced");
  }
  if (cw.weight0 == 1.0 && cw.weight1 == 1.0) {
    return py::none();
  }
  py::dict d;
  d[py::int_(0)] = cw.weight0;
  d[py::int_(1)] = cw.weight1;
  return d;
}

LogisticRegression fit(const Array& X, const Array& y, const std::optional<Array>& sample_weight,
                       const std::string& penalty, double C, bool fit_intercept,
                       const std::string& solver, double tol, int max_iter,
                       const py::object& class_weight_spec_in,
                       std::optional<std::vector<std::string>> feature_names) {
  risk::LogisticOptions options;
  options.penalty = risk::parse_penalty(penalty);
  options.C = C;
  options.fit_intercept = fit_intercept;
  options.solver = risk::parse_solver(solver);
  options.tol = tol;
  options.max_iter = max_iter;
  options.class_weight = class_weight(class_weight_spec_in);
  const ConstRowMap Xm = matrix(X, "X");
  const ConstVectorMap ym = vector(y, "y");
  LogisticRegression model(options);
  if (feature_names.has_value()) {
    model.set_feature_names(std::move(*feature_names));
  }
  if (sample_weight.has_value()) {
    const ConstVectorMap w = vector(*sample_weight, "sample_weight");
    py::gil_scoped_release release;
    model.fit(Xm, ym, w);
  } else {
    py::gil_scoped_release release;
    model.fit(Xm, ym);
  }
  return model;
}

py::dict summary_dict(const LogisticRegression& model) {
  const risk::InferenceSummary s = risk::summarize(model);
  py::dict d;
  d["names"] = s.names;
  d["coef"] = to_numpy(s.coef);
  d["std_err"] = to_numpy(s.std_err);
  d["z"] = to_numpy(s.z);
  d["p_value"] = to_numpy(s.p_value);
  d["ci_low"] = to_numpy(s.ci_low);
  d["ci_high"] = to_numpy(s.ci_high);
  d["log_likelihood"] = s.log_likelihood;
  d["ll_null"] = s.ll_null;
  d["pseudo_r2"] = s.pseudo_r2;
  d["aic"] = s.aic;
  d["bic"] = s.bic;
  d["nobs"] = s.n_observations;
  return d;
}

LogisticRegression model_from_text(const std::string& text) {
  return risk::model_from_json(text).model;
}

Scorecard make_scorecard(const LogisticRegression& model, double base_score, double base_odds,
                         double pdo, const std::optional<Array>& reference) {
  const risk::ScorecardOptions options{base_score, base_odds, pdo};
  if (reference.has_value()) {
    return Scorecard(model, options, vector(*reference, "reference"));
  }
  return Scorecard(model, options);
}

}  // namespace

void bind_risk(py::module_& m) {
  py::class_<LogisticRegression>(m, "_LogisticModel",
                                 "A fitted arscore::risk::LogisticRegression (private).")
      .def_property_readonly("coef", [](const LogisticRegression& r) { return to_numpy(r.coef()); })
      .def_property_readonly("intercept", &LogisticRegression::intercept)
      .def_property_readonly("n_iter", &LogisticRegression::n_iter)
      .def_property_readonly("converged", &LogisticRegression::converged)
      .def_property_readonly("convergence_warning", &LogisticRegression::convergence_warning)
      .def_property_readonly(
          "solver_used",
          [](const LogisticRegression& r) { return std::string(risk::to_string(r.solver_used())); })
      .def_property_readonly(
          "feature_means", [](const LogisticRegression& r) { return to_numpy(r.feature_means()); })
      .def_property("feature_names", &LogisticRegression::feature_names,
                    &LogisticRegression::set_feature_names)
      .def_property_readonly("params",
                             [](const LogisticRegression& r) {
                               const risk::LogisticOptions& o = r.options();
                               py::dict d;
                               d["penalty"] = std::string(risk::to_string(o.penalty));
                               d["C"] = o.C;
                               d["fit_intercept"] = o.fit_intercept;
                               d["solver"] = std::string(risk::to_string(o.solver));
                               d["tol"] = o.tol;
                               d["max_iter"] = o.max_iter;
                               d["class_weight"] = class_weight_spec(o.class_weight);
                               return d;
                             })
      .def(
          "decision_function",
          [](const LogisticRegression& r, const Array& X) {
            const ConstRowMap Xm = matrix(X, "X");
            py::array_t<double> out(Xm.rows());
            Eigen::Map<Eigen::VectorXd> view(out.mutable_data(), Xm.rows());
            {
              py::gil_scoped_release release;
              r.decision_function(Xm, view);
            }
            return out;
          },
          py::arg("X"))
      .def(
          "predict_proba",
          [](const LogisticRegression& r, const Array& X) {
            const ConstRowMap Xm = matrix(X, "X");
            py::array_t<double> out(Xm.rows());
            Eigen::Map<Eigen::VectorXd> view(out.mutable_data(), Xm.rows());
            {
              py::gil_scoped_release release;
              r.predict_proba(Xm, view);
            }
            return out;
          },
          py::arg("X"))
      .def(
          "predict_proba_2",
          [](const LogisticRegression& r, const Array& X) {
            const ConstRowMap Xm = matrix(X, "X");
            py::array_t<double> out({Xm.rows(), Eigen::Index{2}});
            Eigen::Map<RowMatrix> view(out.mutable_data(), Xm.rows(), 2);
            {
              py::gil_scoped_release release;
              r.predict_proba_matrix(Xm, view);
            }
            return out;
          },
          py::arg("X"))
      .def("summary", &summary_dict)
      .def("to_json", [](const LogisticRegression& r) { return risk::to_json(r); })
      .def(py::pickle([](const LogisticRegression& r) { return risk::to_json(r); },
                      [](const std::string& text) { return model_from_text(text); }));

  m.def("_logistic_fit", &fit, py::arg("X"), py::arg("y"), py::arg("sample_weight"),
        py::arg("penalty"), py::arg("C"), py::arg("fit_intercept"), py::arg("solver"),
        py::arg("tol"), py::arg("max_iter"), py::arg("class_weight"),
        py::arg("feature_names") = py::none());
  m.def("_logistic_from_json", &model_from_text, py::arg("text"));

  py::class_<Scorecard>(m, "_Scorecard", "A native arscore::risk::Scorecard (private).")
      .def(py::init(&make_scorecard), py::arg("model"), py::arg("base_score"), py::arg("base_odds"),
           py::arg("pdo"), py::arg("reference") = py::none())
      .def_property_readonly("factor", &Scorecard::factor)
      .def_property_readonly("offset", &Scorecard::offset)
      .def_property_readonly("base_points", &Scorecard::base_points)
      .def_property_readonly("reference",
                             [](const Scorecard& s) { return to_numpy(s.reference()); })
      .def(
          "points",
          [](const Scorecard& s, const Array& X) { return to_numpy(s.points(matrix(X, "X"))); },
          py::arg("X"))
      .def(
          "score",
          [](const Scorecard& s, const Array& X) { return to_numpy(s.score(matrix(X, "X"))); },
          py::arg("X"))
      .def(
          "reasons",
          [](const Scorecard& s, const Array& X, int k) {
            py::list rows;
            for (const auto& row : s.reasons(matrix(X, "X"), k)) {
              py::list items;
              for (const risk::Reason& r : row) {
                items.append(py::make_tuple(r.code, r.points));
              }
              rows.append(items);
            }
            return rows;
          },
          py::arg("X"), py::arg("k"))
      .def(
          "probability",
          [](const Scorecard& s, const Array& score) {
            const ConstVectorMap v = vector(score, "score");
            Eigen::VectorXd p(v.size());
            for (Eigen::Index i = 0; i < v.size(); ++i) {
              p(i) = s.probability(v(i));
            }
            return to_numpy(p);
          },
          py::arg("score"))
      .def(
          "to_json",
          [](const Scorecard& s, const LogisticRegression& model) {
            return risk::to_json(model, &s);
          },
          py::arg("model"));

  m.def(
      "_scorecard_from_json",
      [](const std::string& text) {
        risk::LoadedModel loaded = risk::model_from_json(text);
        if (!loaded.scorecard.has_value()) {
          throw Error("risk.model_json.invalid",
                      "/scorecard: missing; this file holds a model without a scorecard");
        }
        Scorecard card(loaded.model, *loaded.scorecard, *loaded.scorecard_reference);
        return py::make_tuple(std::move(loaded.model), std::move(card),
                              py::make_tuple(loaded.scorecard->base_score,
                                             loaded.scorecard->base_odds, loaded.scorecard->pdo));
      },
      py::arg("text"));

  m.def("_metrics_roc_auc", [](const Array& y, const Array& s) {
    return risk::roc_auc(vector(y, "y"), vector(s, "score"));
  });
  m.def("_metrics_ks", [](const Array& y, const Array& s) {
    return risk::ks(vector(y, "y"), vector(s, "score"));
  });
  m.def("_metrics_gini", [](const Array& y, const Array& s) {
    return risk::gini(vector(y, "y"), vector(s, "score"));
  });
  m.def("_metrics_log_loss", [](const Array& y, const Array& p) {
    return risk::log_loss(vector(y, "y"), vector(p, "p"));
  });
  m.def("_metrics_brier",
        [](const Array& y, const Array& p) { return risk::brier(vector(y, "y"), vector(p, "p")); });
  m.def("_metrics_psi", [](const Array& e, const Array& a, int bins) {
    return risk::psi(vector(e, "expected"), vector(a, "actual"), bins);
  });
  m.def("_metrics_calibration_table", [](const Array& y, const Array& p, int bins) {
    const auto table = risk::calibration_table(vector(y, "y"), vector(p, "p"), bins);
    py::dict d;
    std::vector<std::size_t> count;
    std::vector<std::size_t> n_bad;
    std::vector<double> p_min;
    std::vector<double> p_max;
    std::vector<double> mean_predicted;
    std::vector<double> observed_rate;
    for (const risk::CalibrationBin& b : table) {
      count.push_back(b.count);
      n_bad.push_back(b.n_bad);
      p_min.push_back(b.p_min);
      p_max.push_back(b.p_max);
      mean_predicted.push_back(b.mean_predicted);
      observed_rate.push_back(b.observed_rate);
    }
    d["count"] = py::array(py::cast(count));
    d["p_min"] = py::array(py::cast(p_min));
    d["p_max"] = py::array(py::cast(p_max));
    d["mean_predicted"] = py::array(py::cast(mean_predicted));
    d["observed_rate"] = py::array(py::cast(observed_rate));
    d["n_bad"] = py::array(py::cast(n_bad));
    return d;
  });
}

}  // namespace arscore::python
