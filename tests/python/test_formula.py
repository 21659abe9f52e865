"""arscore.Formula / Sheet / FormulaError against the Python API contract."""

import datetime
import math

import numpy as np
import pandas as pd
import pytest

import arscore

SEED_RULE = "业绩 = if 回款率 < 80% then 回款率 × 30% else 销售额 × 70% + 回款率 × 30%"


def test_seed_rule_row_and_batch():
    f = arscore.Formula(SEED_RULE)
    assert f.variables == ["回款率", "销售额"]
    assert f.result_type == "number"
    assert f.evaluate({"回款率": 0.9, "销售额": 100}) == pytest.approx(70.27, rel=1e-15)
    assert f.evaluate({"回款率": 0.5, "销售额": 100}) == 0.5 * 0.3
    assert f.evaluate({"回款率": None, "销售额": 100}) is None
    df = pd.DataFrame({"回款率": [0.9, 0.5, np.nan], "销售额": [100.0, 200.0, 300.0]})
    out = f.evaluate_batch(df)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out[:2], [0.9 * 0.3 + 100 * 0.7, 0.5 * 0.3])
    assert math.isnan(out[2])


def test_batch_reads_float64_columns_and_matches_rows():
    rng = np.random.default_rng(3)
    data = {"sales": rng.uniform(0, 1000, 5000), "rate": rng.uniform(0, 1, 5000)}
    data["rate"][::17] = np.nan
    f = arscore.Formula("if rate < 80% then rate * 30% else sales * 70% + rate * 30%")
    batch = f.evaluate_batch(data)
    for i in range(0, 5000, 37):
        row = f.evaluate({"sales": data["sales"][i], "rate": data["rate"][i]})
        if row is None:
            assert math.isnan(batch[i])
        else:
            assert batch[i] == row


def test_typed_columns_bool_date_string():
    types = {"region": "string", "due": "date", "vip": "bool", "amount": "number"}
    sheet = arscore.Sheet(
        "late = days_between(due, date('2026-12-04'))\n"
        "east = region in ('East', 'West') and vip\n"
        "label = if late > 30 then upper(region) else null\n"
        "next = add_months(due, 1)",
        types=types,
    )
    assert sheet.outputs == ["late", "east", "label", "next"]
    df = pd.DataFrame(
        {
            "region": ["East", None, "North"],
            "due": pd.to_datetime(["2026-10-01", "2026-12-01", None]),
            "vip": [True, True, False],
            "amount": [1.0, 2.0, 3.0],
        }
    )
    out = sheet.evaluate_batch(df)
    np.testing.assert_array_equal(out["late"][:2], [64.0, 3.0])
    assert math.isnan(out["late"][2])
    assert out["east"].tolist() == [True, None, False]
    assert out["label"].tolist() == ["EAST", None, None]
    assert out["next"].dtype == np.dtype("datetime64[D]")
    assert str(out["next"][0]) == "2026-11-01"
    assert np.isnat(out["next"][2])
    row = sheet.evaluate({"region": "East", "due": datetime.date(2026, 10, 1), "vip": True, "amount": 1.0})
    assert row == {"late": 64.0, "east": True, "label": "EAST", "next": datetime.date(2026, 11, 1)}


def test_formula_error_has_code_line_column_and_caret():
    with pytest.raises(arscore.FormulaError) as info:
        arscore.Formula("回款律 * 2", types={"回款率": "number"})
    error = info.value
    assert isinstance(error, ValueError)
    assert error.code == "formula.check.unknown_name"
    assert (error.line, error.column) == (1, 1)
    assert "did you mean '回款率'?" in str(error)
    assert "  1 | 回款律 * 2\n    | ^~~~~~" in str(error)


def test_several_errors_are_reported():
    with pytest.raises(arscore.FormulaError) as info:
        arscore.Sheet("a = 1 +\nb = (2\nc = 3")
    assert [d["line"] for d in info.value.diagnostics] == [1, 2]


def test_missing_column_and_wrong_dtype_are_named():
    f = arscore.Formula("sales * 2")
    with pytest.raises(arscore.FormulaError, match="missing value for variable 'sales'; did you mean 'sale'") as info:
        f.evaluate_batch({"sale": np.zeros(3)})
    assert info.value.code == "formula.eval.missing_variable"
    with pytest.raises(arscore.FormulaError, match="missing value for variable 'sales'"):
        f.evaluate({"price": 1.0})
    with pytest.raises(TypeError, match="column 'sales' must hold numbers"):
        f.evaluate_batch({"sales": np.array(["a", "b"])})
    g = arscore.Formula("d + 1", types={"d": "date"})
    with pytest.raises(TypeError, match="column 'd' must hold dates"):
        g.evaluate_batch({"d": np.zeros(2)})
    with pytest.raises(TypeError, match="variable 'sales' is a number, but the row gives str"):
        f.evaluate({"sales": "x"})


def test_explain():
    f = arscore.Formula("if rate < 80% then rate × 30% else sales")
    assert f.explain({"rate": 0.5, "sales": 10.0}) == [
        ("rate", 0.5),
        ("80%", 0.8),
        ("rate < 80%", True),
        ("rate", 0.5),
        ("30%", 0.3),
        ("rate × 30%", 0.15),
        ("sales", 10.0),
        ("if rate < 80% then rate × 30% else sales", 0.15),
    ]


def test_round_is_decimal_correct():
    assert arscore.Formula("round(2.675, 2)").evaluate({}) == 2.68
    assert arscore.Formula("round(-0.5)").evaluate({}) == -1.0


def test_deep_nesting_is_a_diagnostic():
    with pytest.raises(arscore.FormulaError) as info:
        arscore.Formula("(" * 100000 + "1" + ")" * 100000)
    assert info.value.code == "formula.limit.depth"


def test_out_reuses_a_float64_array():
    f = arscore.Formula("x * 2")
    out = np.full(3, -1.0)
    result = f.evaluate_batch({"x": np.array([1.0, np.nan, 3.0])}, out=out)
    assert result is out or np.shares_memory(result, out)
    np.testing.assert_array_equal(out[[0, 2]], [2.0, 6.0])
    assert math.isnan(out[1])
    with pytest.raises(TypeError, match="out for output '' must be a writable, contiguous float64 array of 3 rows"):
        f.evaluate_batch({"x": np.zeros(3)}, out=np.zeros(4))
    sheet = arscore.Sheet("a = x + 1; b = x > 1")
    a = np.zeros(2)
    got = sheet.evaluate_batch({"x": np.array([1.0, 2.0])}, out={"a": a})
    np.testing.assert_array_equal(a, [2.0, 3.0])
    assert got["b"].tolist() == [False, True]
