"""arscore.EscalationEngine over arscore.Ledger: exact actions, idempotent runs, state JSON,
flags, contract gates and simulation."""

import datetime as dt
import os
import pathlib

import numpy as np
import pandas as pd
import pytest

import arscore

STANDARD = pathlib.Path(os.environ.get("ARSCORE_SOURCE_DIR", pathlib.Path(__file__).parents[2])) \
    / "tests" / "data" / "rules" / "standard.json"
COLUMNS = ["action_id", "as_of", "policy_id", "policy_version", "kind", "rule", "customer_id",
           "salesperson_id", "invoice_ids", "channel", "recipients", "template", "amount",
           "days_overdue", "reason"]


def policy(**changes):
    import json
    document = json.loads(STANDARD.read_text())
    document.update(changes)
    return arscore.EscalationPolicy.from_dict(document)


def ledger(extra_payments=()):
    """Customer 1 (salesperson 10): a big, a small, a tiny and a disputed invoice overdue;
    customer 2: overdue but on hold until 2026-12-10; customer 3: 20 000 for 92 days."""
    rows = [  # invoice, customer, salesperson, due, amount, status, hold_until
        (101, 1, 10, "2026-11-01", 12000.0, "open", None),
        (102, 1, 10, "2026-11-25", 50.0, "open", None),
        (103, 1, 10, "2026-11-01", 50.0, "open", None),
        (104, 1, 10, "2026-10-01", 800.0, "disputed", None),
        (105, 2, 11, "2026-10-01", 500.0, "on_hold", "2026-12-10"),
        (106, 2, 11, "2026-11-01", 300.0, "open", None),
        (201, 3, 11, "2026-09-01", 20000.0, "open", None),
        (202, 3, 11, "2026-12-10", 100.0, "open", None),
    ]
    invoices = pd.DataFrame(rows, columns=["invoice_id", "customer_id", "salesperson_id",
                                           "due_date", "amount", "status", "hold_until"])
    invoices["due_date"] = pd.to_datetime(invoices["due_date"])
    invoices["issue_date"] = invoices["due_date"] - pd.Timedelta(days=30)
    invoices["hold_until"] = pd.to_datetime(invoices["hold_until"])
    payments = pd.DataFrame([(106, "2026-11-20", 300.0), *extra_payments],
                            columns=["invoice_id", "paid_date", "amount"])
    payments["paid_date"] = pd.to_datetime(payments["paid_date"])
    return arscore.Ledger(invoices, payments, currency="CNY")


def no_payments(id_dtype):
    """An empty payments table whose invoice ids have `id_dtype`."""
    return pd.DataFrame({"invoice_id": pd.Series([], dtype=id_dtype),
                         "paid_date": pd.Series([], dtype="datetime64[ns]"),
                         "amount": pd.Series([], dtype=float)})


def summary(actions):
    return [(a.kind, a.rule, a.customer_id, a.salesperson_id, list(a.invoice_ids), a.channel,
             list(a.recipients), a.template, a.amount, a.days_overdue, a.reason)
            for a in actions.itertuples()]


LADDER = dict(flags=[])


def test_run_returns_the_exact_actions_with_the_contract_columns():
    engine = arscore.EscalationEngine(policy(**LADDER))
    actions, state = engine.run(ledger(), dt.date(2026, 12, 2))
    assert list(actions.columns) == COLUMNS
    assert summary(actions) == [
        ("level", "L1", 1, 10, [102], "email", ["customer", "salesperson"], "reminder", 50.0, 7,
         "L1: 7 days overdue ≥ 7; balance 50.00 CNY"),
        ("level", "L2", 1, 10, [103], "sms", ["customer"], "sms_reminder", 50.0, 31,
         "L2: 31 days overdue ≥ 10; balance 50.00 CNY"),
        ("level", "L3", 1, 10, [101], "letter", ["customer"], "collection_letter", 12000.0, 31,
         "L3: 31 days overdue ≥ 30; balance 12 000.00 CNY"),
        ("level", "L3", 1, 10, [101], "notify", ["salesperson", "finance", "hr"], "overdue_30",
         12000.0, 31, "L3: 31 days overdue ≥ 30; balance 12 000.00 CNY"),
        ("level", "L4", 3, 11, [201], "legal", ["legal"], "legal_review", 20000.0, 92,
         "L4: 92 days overdue ≥ 60; balance 20 000.00 CNY; balance >= 10000 or credit_score "
         "< 500 (balance = 20000, credit_score = null)"),
    ]
    assert (actions["as_of"] == pd.Timestamp("2026-12-02")).all()
    assert (actions["policy_id"] == "standard").all()
    assert (actions["policy_version"] == 1).all()
    assert actions["action_id"].is_unique
    assert actions["action_id"].str.fullmatch("[0-9a-f]{16}").all()
    assert state.last_run == dt.date(2026, 12, 2)


def test_idempotent_runs_partial_payment_and_payment_in_full():
    engine = arscore.EscalationEngine(policy(**LADDER))
    first, state = engine.run(ledger(), "2026-12-02")
    again, same = engine.run(ledger(), "2026-12-02", state)
    assert again.empty and list(again.columns) == COLUMNS
    assert same == state
    # A replay without the state gives the same ids.
    replay, _ = engine.run(ledger(), "2026-12-02")
    assert list(replay["action_id"]) == list(first["action_id"])
    # The state survives JSON.
    state = arscore.EscalationState.from_json(state.to_json())
    book = ledger([(101, "2026-12-03", 11000.0), (103, "2026-12-04", 50.0)])
    day3, state = engine.run(book, "2026-12-03", state)
    assert day3.empty  # 101 keeps L3 after a partial payment
    day5, state = engine.run(book, "2026-12-05", state)
    assert summary(day5) == [
        ("level", "L2", 1, 10, [102], "sms", ["customer"], "sms_reminder", 50.0, 10,
         "L2: 10 days overdue ≥ 10; balance 50.00 CNY")]
    assert '"invoice_id":103' not in state.to_json()  # paid in full: off the ladder
    # The hold on 105 ends after 2026-12-10; a credit score below 500 sends it to L4.
    day11, _ = engine.run(book, dt.date(2026, 12, 11), state,
                          scores={2: {"credit_score": 450.0, "p_late": 0.9}})
    assert summary(day11) == [
        ("level", "L4", 2, 11, [105], "legal", ["legal"], "legal_review", 500.0, 71,
         "L4: 71 days overdue ≥ 60; balance 500.00 CNY; balance >= 10000 or credit_score < 500 "
         "(balance = 500, credit_score = 450)")]


def test_customer_flags_notify_once():
    engine = arscore.EscalationEngine(policy())
    actions, state = engine.run(ledger(), "2026-12-02")
    flags = actions[actions["kind"] == "flag"]
    assert summary(flags) == [
        ("flag", "high_risk", 1, 10, [], "notify", ["salesperson", "finance", "hr"], "high_risk",
         12900.0, 62, "high_risk: late_streak >= 3 or max_days_past_due >= 30 "
         "(late_streak = 4, max_days_past_due = 62)"),
        ("flag", "high_risk", 2, 11, [], "notify", ["salesperson", "finance", "hr"], "high_risk",
         500.0, 62, "high_risk: late_streak >= 3 or max_days_past_due >= 30 "
         "(late_streak = 2, max_days_past_due = 62)"),
        ("flag", "high_risk", 3, 11, [], "notify", ["salesperson", "finance", "hr"], "high_risk",
         20000.0, 92, "high_risk: late_streak >= 3 or max_days_past_due >= 30 "
         "(late_streak = 1, max_days_past_due = 92)"),
    ]
    later, _ = engine.run(ledger(), "2026-12-03", state)
    assert later.empty


def test_scores_as_a_dataframe_and_contract_gates():
    engine = arscore.EscalationEngine(policy())
    book = ledger()
    scores = pd.DataFrame({"credit_score": [540.0, 600.0, np.nan]},
                          index=pd.Index([1, 2, 3], name="customer_id"))
    assert engine.check_contract(1, 5000, book, "2026-12-02", scores) == (
        "reject", ["credit_floor: credit_score < 550 (credit_score = 540)"])
    assert engine.check_contract(2, 5000, book, "2026-12-02", scores) == (
        "require_guarantee", ["watch: credit_score < 620 (credit_score = 600)"])
    assert engine.check_contract(3, 5000, book, "2026-12-02", scores) == ("approve", [])
    assert engine.check_contract(3, 5000, book, "2026-12-02") == ("approve", [])
    with pytest.raises(arscore.Error) as info:
        engine.check_contract(1, 5000, book, "2026-12-02", {1: {"score": 1}})
    assert info.value.code == "rules.scores.unknown_key"


def test_text_ids_map_back_and_keep_their_action_ids_across_ledgers():
    invoices = pd.DataFrame({
        "invoice_id": ["INV-1", "INV-2"], "customer_id": ["acme", "bolt"],
        "salesperson_id": ["ann", "bob"],
        "issue_date": pd.to_datetime(["2026-10-01", "2026-10-01"]),
        "due_date": pd.to_datetime(["2026-11-01", "2026-11-20"]), "amount": [100.0, 200.0]})
    payments = no_payments(object)
    engine = arscore.EscalationEngine(policy(**LADDER))
    actions, state = engine.run(arscore.Ledger(invoices, payments), "2026-12-02")
    assert [(a.customer_id, a.salesperson_id, a.invoice_ids, a.rule) for a in
            actions.itertuples()] == [("acme", "ann", ["INV-1"], "L3"),
                                      ("acme", "ann", ["INV-1"], "L3"),
                                      ("bolt", "bob", ["INV-2"], "L2")]
    # A new customer sorting before the others changes nothing for the old ones.
    more = pd.concat([invoices, pd.DataFrame({
        "invoice_id": ["INV-0"], "customer_id": ["aaa"], "salesperson_id": ["al"],
        "issue_date": pd.to_datetime(["2026-12-01"]), "due_date": pd.to_datetime(["2026-12-31"]),
        "amount": [5.0]})], ignore_index=True)
    replay, _ = engine.run(arscore.Ledger(more, payments), "2026-12-02")
    assert list(replay["action_id"]) == list(actions["action_id"])
    again, _ = engine.run(arscore.Ledger(more, payments), "2026-12-02", state)
    assert again.empty


def test_simulate_carries_the_state_and_never_repeats_an_id():
    engine = arscore.EscalationEngine(policy())
    timeline = engine.simulate(ledger(), "2026-09-01", "2026-12-15")
    assert list(timeline.columns) == COLUMNS
    assert timeline["action_id"].is_unique
    levels = timeline[timeline["kind"] == "level"]
    assert [(str(a.as_of.date()), a.rule, a.invoice_ids[0], a.channel)
            for a in levels.itertuples()] == [
        ("2026-09-08", "L1", 201, "email"),
        ("2026-09-11", "L2", 201, "sms"),
        ("2026-10-01", "L3", 201, "letter"),
        ("2026-10-01", "L3", 201, "notify"),
        ("2026-10-31", "L4", 201, "legal"),
        ("2026-11-08", "L1", 101, "email"),
        ("2026-11-08", "L1", 103, "email"),
        ("2026-11-08", "L1", 106, "email"),  # paid on 2026-11-20: late when it was sent
        ("2026-11-11", "L2", 101, "sms"),
        ("2026-11-11", "L2", 103, "sms"),
        ("2026-11-11", "L2", 106, "sms"),
        ("2026-12-01", "L3", 101, "letter"),
        ("2026-12-01", "L3", 101, "notify"),
        ("2026-12-02", "L1", 102, "email"),
        ("2026-12-05", "L2", 102, "sms"),
        ("2026-12-11", "L3", 105, "letter"),
        ("2026-12-11", "L3", 105, "notify"),
    ]
    with pytest.raises(arscore.Error) as info:
        engine.simulate(ledger(), "2026-09-02", "2026-09-01")
    assert info.value.code == "rules.simulate.bad_period"


def test_bad_state_and_arguments():
    engine = arscore.EscalationEngine(policy())
    with pytest.raises(arscore.Error) as info:
        arscore.EscalationState.from_json('{"format": "x"}')
    assert info.value.code == "rules.state.invalid"
    with pytest.raises(TypeError):
        engine.run(ledger(), "2026-12-02", state="{}")
    with pytest.raises(TypeError):
        arscore.EscalationEngine("standard")
    other = arscore.EscalationEngine(policy(id="other"))
    _, state = other.run(ledger(), "2026-12-02")
    with pytest.raises(arscore.Error) as info:
        engine.run(ledger(), "2026-12-03", state)
    assert info.value.code == "rules.run.state_policy"


def test_business_days_with_a_calendar_and_time_zone_aware_dates():
    document = {"id": "biz", "version": 1, "day_basis": "business",
                "levels": [{"id": "B1", "days_overdue": 1, "actions": [
                    {"channel": "call_task", "to": ["salesperson"], "template": "call"}]}]}
    calendar = arscore.Calendar(weekend=(5, 6), holidays=[dt.date(2026, 12, 7)])
    engine = arscore.EscalationEngine(arscore.EscalationPolicy.from_dict(document), calendar)
    invoices = pd.DataFrame({"invoice_id": [1], "customer_id": [1], "salesperson_id": [10],
                             "issue_date": pd.to_datetime(["2026-11-04"]),
                             "due_date": pd.to_datetime(["2026-12-04"]),  # a Friday
                             "amount": [100.0]})
    payments = no_payments(np.int64)
    book = arscore.Ledger(invoices, payments, currency="CNY")
    # Monday 2026-12-07 is a holiday: nothing until Tuesday.
    assert engine.run(book, dt.date(2026, 12, 7))[0].empty
    # A time-zone-aware timestamp counts by its own local date: 23:30 in Shanghai on Monday is
    # still the holiday, although it is Monday 15:30 UTC.
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert engine.run(book, dt.datetime(2026, 12, 7, 23, 30, tzinfo=shanghai))[0].empty
    tuesday, _ = engine.run(book, pd.Timestamp("2026-12-08 00:10", tz="Asia/Shanghai"))
    assert summary(tuesday) == [
        ("level", "B1", 1, 10, [1], "call_task", ["salesperson"], "call", 100.0, 1,
         "B1: 1 business days overdue ≥ 1; balance 100.00 CNY")]


def test_comparing_two_policy_versions_on_the_same_history():
    v1 = arscore.EscalationEngine(policy(**LADDER))
    import json
    document = json.loads(STANDARD.read_text())
    document.update(LADDER, version=2)
    document["levels"][0]["days_overdue"] = 5  # remind two days earlier
    v2 = arscore.EscalationEngine(arscore.EscalationPolicy.from_dict(document))
    key = ["as_of", "rule", "channel"]
    a = v1.simulate(ledger(), "2026-11-01", "2026-12-05")
    b = v2.simulate(ledger(), "2026-11-01", "2026-12-05")
    a["invoice"] = a["invoice_ids"].map(tuple)
    b["invoice"] = b["invoice_ids"].map(tuple)
    merged = a.merge(b, on=key + ["invoice"], how="outer", indicator="side")
    differing = merged[merged["side"] != "both"]
    assert [(str(r.as_of.date()), r.rule, r.invoice, r.side) for r in
            differing.sort_values(["as_of", "invoice"]).itertuples()] == [
        ("2026-11-06", "L1", (101,), "right_only"),
        ("2026-11-06", "L1", (103,), "right_only"),
        ("2026-11-06", "L1", (106,), "right_only"),
        ("2026-11-08", "L1", (101,), "left_only"),
        ("2026-11-08", "L1", (103,), "left_only"),
        ("2026-11-08", "L1", (106,), "left_only"),
        ("2026-11-30", "L1", (102,), "right_only"),
        ("2026-12-02", "L1", (102,), "left_only"),
    ]
    # The version is part of every action id: the two timelines share none.
    assert not set(a["action_id"]) & set(b["action_id"])


def test_customer_flag_streak_reads_the_month_ends_before():
    """The C++ scenario through Python, with text ids: customer "c1" late since 2026-10-15;
    "c2" late in September and October, paid in November, late again from 2026-12-05."""
    invoices = pd.DataFrame({
        "invoice_id": ["i1", "i2", "i3"], "customer_id": ["c1", "c2", "c2"],
        "salesperson_id": ["s10", "s11", "s11"],
        "due_date": pd.to_datetime(["2026-10-15", "2026-09-01", "2026-11-25"]),
        "amount": [100.0, 100.0, 100.0]})
    invoices["issue_date"] = invoices["due_date"] - pd.Timedelta(days=30)
    payments = pd.DataFrame({"invoice_id": ["i2"], "paid_date": pd.to_datetime(["2026-11-05"]),
                             "amount": [100.0]})
    book = arscore.Ledger(invoices, payments, currency="CNY")
    engine = arscore.EscalationEngine(arscore.EscalationPolicy.from_dict({
        "id": "cs", "version": 1,
        "levels": [{"id": "never", "days_overdue": 10000,
                    "actions": [{"channel": "email", "to": ["customer"], "template": "x"}]}],
        "flags": [{"id": "chronic", "scope": "customer", "when": "max_days_past_due >= 10",
                   "streak": 3, "notify": ["finance"]}]}))
    nov, state = engine.run(book, "2026-11-20")
    assert nov.empty
    dec1, state = engine.run(book, "2026-12-01", state)
    assert summary(dec1) == [
        ("flag", "chronic", "c1", "s10", [], "notify", ["finance"], "chronic", 100.0, 47,
         "chronic: max_days_past_due >= 10 for 3 months running (2026-10-31: max_days_past_due "
         "= 16; 2026-11-30: max_days_past_due = 46; 2026-12-01: max_days_past_due = 47)")]
    dec10, _ = engine.run(book, "2026-12-10", state)
    assert dec10.empty


def test_scores_frames_are_checked_and_hashed_ids_never_meet_integer_ids():
    engine = arscore.EscalationEngine(policy())
    book = ledger()
    bad = pd.DataFrame({"customer_id": [3, 3], "credit_score": [400.0, 500.0]})
    with pytest.raises(arscore.Error) as info:
        engine.run(book, "2026-12-02", scores=bad)
    assert info.value.code == "rules.scores.duplicate_customer"
    text = pd.DataFrame({"customer_id": [3], "credit_score": ["low"]})
    with pytest.raises(arscore.Error) as info:
        engine.run(book, "2026-12-02", scores=text)
    assert info.value.code == "rules.scores.bad_value"
    # Other columns of a scores frame are ignored; a missing score is null.
    frame = pd.DataFrame({"customer_id": [3, 1], "credit_score": [450.0, np.nan],
                          "segment": ["a", "b"]})
    actions, _ = engine.run(book, "2026-12-02", scores=frame)
    assert "credit_score = 450" in actions[actions["rule"] == "L4"]["reason"].iloc[0]

    # A text id whose hashed key equals an integer id of the same run is refused.
    import hashlib
    clash = int.from_bytes(hashlib.blake2b(b"str:acme", digest_size=8).digest(), "little",
                           signed=True)
    invoices = pd.DataFrame({
        "invoice_id": [clash], "customer_id": ["acme"], "salesperson_id": [7],
        "issue_date": pd.to_datetime(["2026-10-01"]), "due_date": pd.to_datetime(["2026-11-01"]),
        "amount": [100.0]})
    payments = no_payments(np.int64)
    with pytest.raises(arscore.Error) as info:
        engine.run(arscore.Ledger(invoices, payments), "2026-12-02")
    assert info.value.code == "rules.input.id_collision"
    assert "'acme'" in str(info.value)


def test_invoice_facts_amount_currency_and_issue_date_through_python():
    invoices = pd.DataFrame({
        "invoice_id": ["A-1", "A-2"], "customer_id": ["acme", "bolt"],
        "salesperson_id": ["ann", "ann"],
        "issue_date": pd.to_datetime(["2026-09-15", "2026-10-20"]),
        "due_date": pd.to_datetime(["2026-10-15", "2026-11-01"]),
        "amount": [1000.0, 2000.0], "currency": ["USD", "CNY"]})
    payments = pd.DataFrame({"invoice_id": ["A-1", "A-2"],
                             "paid_date": pd.to_datetime(["2026-11-01", "2026-11-02"]),
                             "amount": [900.0, 100.0]})
    fx = pd.DataFrame({"currency": ["USD"], "date": pd.to_datetime(["2026-01-01"]),
                       "rate": [7.1]})
    book = arscore.Ledger(invoices, payments, currency="CNY", fx=fx)
    engine = arscore.EscalationEngine(arscore.EscalationPolicy.from_dict({
        "id": "fx", "version": 1,
        "levels": [{"id": "usd_big", "days_overdue": 0,
                    "when": 'currency == "USD" and amount >= 7000 '
                            'and issue_date < date("2026-10-01")',
                    "actions": [{"channel": "email", "to": ["finance"], "template": "usd"}]}]}))
    actions, _ = engine.run(book, "2026-12-02")
    assert summary(actions) == [
        ("level", "usd_big", "acme", "ann", ["A-1"], "email", ["finance"], "usd", 710.0, 48,
         'usd_big: 48 days overdue ≥ 0; balance 710.00 CNY; currency == "USD" and amount >= 7000 '
         'and issue_date < date("2026-10-01") (currency = "USD", amount = 7100, '
         'issue_date = date("2026-09-15"))')]


def test_integer_ids_in_an_object_column_are_keyed_as_integers():
    """Ids read as objects (e.g. from a CSV with a stray text id elsewhere, or built by hand)
    are the same ids: same action ids, same state, and scores keyed by the integer find them."""
    invoices = pd.DataFrame({
        "invoice_id": pd.Series([101, 201], dtype=object),
        "customer_id": pd.Series([1, 3], dtype=object),
        "salesperson_id": pd.Series([10, 11], dtype=object),
        "issue_date": pd.to_datetime(["2026-10-02", "2026-08-02"]),
        "due_date": pd.to_datetime(["2026-11-01", "2026-09-01"]), "amount": [12000.0, 20000.0]})
    payments = no_payments(object)
    as_objects = arscore.Ledger(invoices, payments, currency="CNY")
    as_integers = arscore.Ledger(invoices.astype({"invoice_id": np.int64, "customer_id": np.int64,
                                                  "salesperson_id": np.int64}),
                                 payments.astype({"invoice_id": np.int64}), currency="CNY")
    engine = arscore.EscalationEngine(policy(**LADDER))
    scores = {3: {"credit_score": 480.0}}
    objects, object_state = engine.run(as_objects, "2026-12-02", scores=scores)
    integers, integer_state = engine.run(as_integers, "2026-12-02", scores=scores)
    assert len(objects) == 3
    assert list(objects["action_id"]) == list(integers["action_id"])
    assert object_state.to_json() == integer_state.to_json()
    assert "credit_score = 480" in objects[objects["rule"] == "L4"]["reason"].iloc[0]


def test_contract_gates_read_the_customer_features_with_text_ids():
    invoices = pd.DataFrame({
        "invoice_id": ["A-1", "B-1"], "customer_id": ["acme", "bolt"],
        "salesperson_id": ["ann", "bob"],
        "issue_date": pd.to_datetime(["2026-08-01", "2026-11-01"]),
        "due_date": pd.to_datetime(["2026-09-01", "2026-12-01"]), "amount": [900.0, 50.0]})
    payments = no_payments(object)
    book = arscore.Ledger(invoices, payments, currency="CNY")
    engine = arscore.EscalationEngine(arscore.EscalationPolicy.from_dict({
        "id": "gates", "version": 1,
        "levels": [{"id": "L1", "days_overdue": 7,
                    "actions": [{"channel": "email", "to": ["customer"], "template": "r"}]}],
        "gates": [{"id": "late", "when": "max_days_past_due >= 60 and contract_amount > 1000",
                   "decision": "reject"},
                  {"id": "unscored", "when": "is_null(credit_score)",
                   "decision": "require_guarantee"}]}))
    scores = {"acme": {"credit_score": 700.0}, "bolt": {"credit_score": 700.0}}
    assert engine.check_contract("acme", 5000, book, "2026-12-02", scores) == (
        "reject", ["late: max_days_past_due >= 60 and contract_amount > 1000 "
                   "(max_days_past_due = 92, contract_amount = 5000)"])
    assert engine.check_contract("bolt", 5000, book, "2026-12-02", scores) == ("approve", [])
    # A customer the ledger does not know has null features, and here no score either.
    assert engine.check_contract("newco", 5000, book, "2026-12-02", scores) == (
        "require_guarantee", ["unscored: is_null(credit_score) (credit_score = null)"])
