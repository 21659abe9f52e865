"""arscore.Calendar on China's official 2025 holiday schedule (with its make-up working
weekends), checked against numpy.busday_count / busday_offset where numpy can express it."""

import datetime as dt

import numpy as np
import pytest

import arscore

# 国务院办公厅关于2025年部分节假日安排的通知 (days off, and weekend days worked).
CN_2025_HOLIDAYS = (
    ["2025-01-01"]
    + [f"2025-01-{d}" for d in (28, 29, 30, 31)] + [f"2025-02-0{d}" for d in (1, 2, 3, 4)]
    + ["2025-04-04", "2025-04-05", "2025-04-06"]
    + [f"2025-05-0{d}" for d in (1, 2, 3, 4, 5)]
    + ["2025-05-31", "2025-06-01", "2025-06-02"]
    + [f"2025-10-0{d}" for d in range(1, 9)]
)
CN_2025_WORKDAYS = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]


@pytest.fixture(scope="module")
def china():
    return arscore.Calendar(holidays=[np.datetime64(d) for d in CN_2025_HOLIDAYS],
                            workdays=[dt.date.fromisoformat(d) for d in CN_2025_WORKDAYS])


def test_2025_has_248_working_days(china):
    assert china.business_days_between(dt.date(2025, 1, 1), dt.date(2026, 1, 1)) == 248
    assert china.business_days_between(dt.date(2026, 1, 1), dt.date(2025, 1, 1)) == -248
    # numpy knows the holidays but cannot express the five make-up working weekends.
    assert np.busday_count("2025-01-01", "2026-01-01", holidays=CN_2025_HOLIDAYS) == 243


def test_make_up_days_are_business_days(china):
    for day in CN_2025_WORKDAYS:
        assert china.is_business_day(day)
        assert not np.is_busday(day)
    assert not china.is_business_day("2025-01-28")
    assert china.is_business_day(dt.date(2025, 1, 27))
    assert china.add_business_days(dt.date(2025, 1, 24), 1) == dt.date(2025, 1, 26)
    assert china.add_business_days(dt.date(2025, 1, 27), 1) == dt.date(2025, 2, 5)
    assert china.add_business_days(dt.date(2025, 10, 1), 0) == dt.date(2025, 10, 9)


def test_counts_agree_with_numpy_on_every_pair_without_make_up_days():
    holidays_only = arscore.Calendar(holidays=CN_2025_HOLIDAYS)
    rng = np.random.default_rng(5)
    days = np.datetime64("2024-12-01") + rng.integers(0, 430, 400).astype("timedelta64[D]")
    for a, b in zip(days[:200], days[200:]):
        expected = np.busday_count(a, b, holidays=CN_2025_HOLIDAYS)
        assert holidays_only.business_days_between(a, b) == expected
        for n in (-7, 0, 3, 20):
            offset = np.busday_offset(a, n, roll="forward", holidays=CN_2025_HOLIDAYS)
            assert holidays_only.add_business_days(a, n) == offset.astype(dt.date)


def test_make_up_days_add_exactly_the_worked_weekends(china):
    rng = np.random.default_rng(11)
    days = np.datetime64("2024-12-01") + rng.integers(0, 430, 200).astype("timedelta64[D]")
    workdays = np.array(CN_2025_WORKDAYS, dtype="datetime64[D]")
    for a, b in zip(days[:100], days[100:]):
        lo, hi = min(a, b), max(a, b)
        extra = int(((workdays >= lo) & (workdays < hi)).sum()) * (1 if a <= b else -1)
        assert china.business_days_between(a, b) == np.busday_count(
            a, b, holidays=CN_2025_HOLIDAYS) + extra


def test_calendar_from_csv(tmp_path, china):
    path = tmp_path / "cn2025.csv"
    rows = ["date,kind,name"] + [f"{d},holiday,假日" for d in CN_2025_HOLIDAYS] + [
        f"{d},workday,调休" for d in CN_2025_WORKDAYS]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    loaded = arscore.Calendar.from_csv(str(path))
    assert loaded.holidays == china.holidays
    assert loaded.workdays == china.workdays
    assert loaded.business_days_between("2025-01-01", "2026-01-01") == 248
    with pytest.raises(arscore.Error) as error:
        arscore.Calendar.parse_csv("date,kind\n2025-01-01,holiday\n2025-01-02,day off\n")
    assert error.value.code == "ledger.calendar.csv"
    assert "line 3" in str(error.value)


def test_weekend_and_errors():
    gulf = arscore.Calendar(weekend=(4, 5))
    assert gulf.weekend == [4, 5]
    assert gulf.is_business_day(dt.date(2026, 12, 6))  # Sunday
    with pytest.raises(arscore.Error) as error:
        arscore.Calendar(weekend=(7,))
    assert error.value.code == "ledger.calendar.bad_weekday"
    with pytest.raises(arscore.Error) as error:
        arscore.Calendar(holidays=["2026-01-01"], workdays=["2026-01-01"])
    assert error.value.code == "ledger.calendar.conflict"
    with pytest.raises(arscore.Error) as error:
        arscore.Calendar().is_business_day(3)
    assert error.value.code == "ledger.input.bad_date"
