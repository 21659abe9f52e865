"""arscore.EscalationPolicy: the issue's example loads; every problem is reported with its path."""

import json
import os
import pathlib

import pytest

import arscore

STANDARD = pathlib.Path(os.environ.get("ARSCORE_SOURCE_DIR", pathlib.Path(__file__).parents[2])) \
    / "tests" / "data" / "rules" / "standard.json"


def test_example_policy_loads_from_json_and_dict():
    text = STANDARD.read_text()
    for policy in (arscore.EscalationPolicy.from_json(text),
                   arscore.EscalationPolicy.from_dict(json.loads(text))):
        assert policy.id == "standard"
        assert policy.version == 1
        assert policy.day_basis == "calendar"
        assert policy.scope == "invoice"
        assert policy.catch_up == "highest"
        assert policy.min_interval_days == 0
        assert policy.exclude_status == ["disputed", "on_hold"]
        assert policy.levels == ["L1", "L2", "L3", "L4"]
        assert policy.flags == ["high_risk", "collection_risk"]
        assert policy.gates == ["credit_floor", "watch"]
        assert repr(policy) == "EscalationPolicy(id='standard', version=1, levels=4)"


def test_every_problem_with_its_json_path_and_the_formula_caret():
    document = json.loads(STANDARD.read_text())
    document["levels"][3]["when"] = "balanse >= 10000"
    document["levels"][1]["days_overdue"] = 3
    document["levels"][0]["actions"][0]["to"] = ["customer", "boss"]
    document["gates"][0]["decision"] = "maybe"
    with pytest.raises(arscore.Error) as info:
        arscore.EscalationPolicy.from_dict(document)
    error = info.value
    assert error.code == "rules.policy.invalid"
    assert str(error) == (
        "[rules.policy.invalid] 4 problems\n"
        "/levels/0/actions/0/to/1: unknown recipient 'boss' (expected customer, salesperson, "
        "sales_manager, finance, hr or legal)\n"
        "/levels/1/days_overdue: unsorted levels: days_overdue 3 must be greater than the 7 of "
        "/levels/0 (levels ascend strictly by days_overdue)\n"
        "/levels/3/when: error[formula.check.unknown_name] at line 1, column 1: unknown "
        "variable 'balanse' — did you mean 'balance'?\n"
        "  1 | balanse >= 10000\n"
        "    | ^~~~~~~\n"
        "/gates/0/decision: unknown decision 'maybe' (expected reject, require_guarantee or "
        "shorten_terms)")
    assert [p[:2] for p in error.problems] == [
        ("/levels/0/actions/0/to/1", "rules.policy.unknown_recipient"),
        ("/levels/1/days_overdue", "rules.policy.unsorted_levels"),
        ("/levels/3/when", "rules.policy.formula"),
        ("/gates/0/decision", "rules.policy.unknown_decision"),
    ]
    assert isinstance(error, ValueError)


def test_not_json():
    with pytest.raises(arscore.Error) as info:
        arscore.EscalationPolicy.from_json("{")
    assert info.value.code == "rules.policy.json"
