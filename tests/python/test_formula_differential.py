"""Differential test of the formula language: arscore against an independent reference.

A seeded generator builds random, well-typed expressions as a small AST; each is rendered to
formula text (every composite sub-expression in parentheses) and evaluated three ways:

* by the reference below, a plain-Python tree walker over the generated AST that implements the
  semantics of DESIGN.md "The formula language" (it never calls arscore);
* by ``arscore.Formula(text, types=...).evaluate(row)`` on every row of a small table;
* by ``arscore.Formula(...).evaluate_batch(columns)`` over the whole table at once.

All three must agree exactly: numbers with ``==`` (or both null), bools, strings and dates by
equality. A null is None in rows and NaN / masked / NaT / None in batch results; NaN is never a
value.

Floating-point results are mirrored operation by operation: every binary operation is one IEEE
double operation on its two operands, left to right as written; every number result that is not
finite is null (arscore maps each non-finite arithmetic result to null).

Nulls are generated everywhere the language allows them: the bare literal ``null`` (not as a
comparison operand, where it is a compile error) and expressions made only of it, like
``coalesce(null, null)`` or ``if c then null else null``, which take the type their context
expects. These once crashed the process; ``test_null_in_string_and_bool_positions`` checks the
smallest such cases in subprocesses, so a regression fails there with a clear name first.
"""

from __future__ import annotations

import collections
import datetime
import decimal
import math
import os
import random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import arscore

# ---------------------------------------------------------------------------------------------
# Variables and their types.

NUMBER, BOOL, STRING, DATE, NULL = "number", "bool", "string", "date", "null"

VARIABLES = {
    "n1": NUMBER,
    "n2": NUMBER,
    "n3": NUMBER,
    "b1": BOOL,
    "b2": BOOL,
    "s1": STRING,
    "s2": STRING,
    "d1": DATE,
    "d2": DATE,
}
NAMES_BY_TYPE = {t: [n for n, nt in VARIABLES.items() if nt == t] for t in (NUMBER, BOOL, STRING, DATE)}

STRING_VALUES = ["East", "West", "north", "", "east", "Ea", "北京", "Zürich", "it's", "ZÜRICH"]
STRING_LITERALS = STRING_VALUES + ["E", "st", "a", "Zü", "北"]
SPECIAL_NUMBERS = [0.0, 1.0, -1.0, 2.0, 0.5, 0.1, 0.7, 2.675, -2.5, 3.0, 10.0, 12.5, 100.0, -7.0,
                   30.0, 1e6, 1e300, -1e300, 1e-300, 0.3]
SPECIAL_DATES = [datetime.date(2026, 1, 31), datetime.date(2024, 2, 29), datetime.date(2026, 2, 28),
                 datetime.date(2026, 12, 31), datetime.date(2025, 3, 31), datetime.date(2026, 12, 4)]
DATE_LOW = datetime.date(2025, 1, 1).toordinal()
DATE_HIGH = datetime.date(2027, 12, 31).toordinal()

# Number literal texts used besides random ones. Percent literals are the decimal value
# (12.5% is the double nearest 0.125, 1.1% the double nearest 0.011, not 1.1 / 100).
NUMBER_LITERALS = ["0", "1", "2", "3", "5", "7", "10", "12", "30", "100", "1000", "365", "0.5",
                   "0.1", "0.25", "2.5", "3.5", "2.675", "1.005", "0.3", "1e3", "2.5e-1", "1e6",
                   "1e308", "70%", "30%", "12.5%", "80%", "1.1%", "0.7%", "100%", "57%", "0.5%"]
THRESHOLD_VALUES = [-10.0, -1.0, 0.0, 0.5, 1.0, 2.0, 5.0, 7.0, 10.0, 30.0, 60.0, 90.0, 100.0]

FIRST_ORDINAL = datetime.date(1, 1, 1).toordinal()
LAST_ORDINAL = datetime.date(9999, 12, 31).toordinal()


# ---------------------------------------------------------------------------------------------
# The AST.


class Node:
    """One generated expression: kind, result type, children and kind-specific data."""

    __slots__ = ("kind", "type", "args", "data")

    def __init__(self, kind, type_, args=(), **data):
        self.kind = kind
        self.type = type_
        self.args = list(args)
        self.data = data

    def __repr__(self):
        return f"Node({render(self)!r})"


def is_leaf(node: Node) -> bool:
    return node.kind in ("num", "str", "bool", "null", "var", "date")


def paren(node: Node) -> str:
    return render(node) if is_leaf(node) else f"({render(node)})"


def render(node: Node) -> str:
    k, d, a = node.kind, node.data, node.args
    if k in ("num", "str", "date"):
        return d["text"]
    if k == "bool":
        return "true" if d["value"] else "false"
    if k == "null":
        return "null"
    if k == "var":
        return d["name"]
    if k == "neg":
        return f"-{paren(a[0])}"
    if k == "not":
        return f"{d['spell']}{paren(a[0])}" if d["spell"] == "!" else f"not {paren(a[0])}"
    if k in ("bin", "cmp", "and", "or"):
        return f"{paren(a[0])} {d['spell']} {paren(a[1])}"
    if k == "in":
        items = ", ".join(paren(x) for x in a[1:])
        return f"{paren(a[0])} {'not in' if d['negated'] else 'in'} ({items})"
    if k == "if":
        els = a[2]
        # `else if` chains render the nested conditional without parentheses.
        tail = render(els) if (els.kind == "if" and d["chain"]) else paren(els)
        return f"if {paren(a[0])} then {paren(a[1])} else {tail}"
    if k == "call":
        return f"{d['name']}({', '.join(paren(x) for x in a)})"
    raise AssertionError(k)


# ---------------------------------------------------------------------------------------------
# The reference evaluator (plain Python; never calls arscore).


def finite(x):
    """A number result: None for null and for anything not finite."""
    if x is None or math.isnan(x) or math.isinf(x):
        return None
    return float(x)


def py_floor(x: float) -> float:
    return float(math.floor(x)) if math.isfinite(x) else x


def py_ceil(x: float) -> float:
    return float(math.ceil(x)) if math.isfinite(x) else x


def py_pow(x: float, y: float):
    try:
        return finite(math.pow(x, y))
    except (ValueError, OverflowError):  # complex result, 0 ^ negative, overflow
        return None


def py_exp(x: float):
    try:
        return finite(math.exp(x))
    except OverflowError:
        return None


def py_round(x: float, n: float):
    digits = int(n)  # truncated toward zero
    quantum = decimal.Decimal(1).scaleb(-digits)
    context = decimal.Context(prec=1000, rounding=decimal.ROUND_HALF_UP)
    return finite(float(decimal.Decimal(repr(x)).quantize(quantum, context=context)))


def py_mod(x: float, y: float):
    if y == 0:
        return None
    return finite(x - y * py_floor(x / y))


def date_plus_days(d: datetime.date, days: float):
    """date + number: the number floored to whole days; null outside years 1..9999."""
    ordinal = d.toordinal() + math.floor(days) if math.isfinite(days) else None
    if ordinal is None or not FIRST_ORDINAL <= ordinal <= LAST_ORDINAL:
        return None
    return datetime.date.fromordinal(ordinal)


def date_minus_days(d: datetime.date, days: float):
    """date - number: the number floored to whole days (d - 1.5 is d - 1)."""
    if not math.isfinite(days):
        return None
    ordinal = d.toordinal() - math.floor(days)
    if not FIRST_ORDINAL <= ordinal <= LAST_ORDINAL:
        return None
    return datetime.date.fromordinal(ordinal)


def add_months(d: datetime.date, n: float):
    if not math.isfinite(n):
        return None
    total = d.year * 12 + (d.month - 1) + math.floor(n)
    year, month = divmod(total, 12)
    month += 1
    if not 1 <= year <= 9999:
        return None
    return datetime.date(year, month, min(d.day, days_in_month(year, month)))


def days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.date(year, month, 1)).days


def end_of_month(d: datetime.date) -> datetime.date:
    return datetime.date(d.year, d.month, days_in_month(d.year, d.month))


def ascii_lower(s: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


def ascii_upper(s: str) -> str:
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in s)


def kleene_and(x, y):
    if x is False or y is False:
        return False
    if x is None or y is None:
        return None
    return True


def kleene_or(x, y):
    if x is True or y is True:
        return True
    if x is None or y is None:
        return None
    return False


def kleene_not(x):
    return None if x is None else not x


COMPARE = {
    "==": lambda x, y: x == y,
    "!=": lambda x, y: x != y,
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


def interp(x, points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    if x <= xs[0]:
        return finite(ys[0])
    if x >= xs[-1]:
        return finite(ys[-1])
    for k in range(1, len(xs)):
        if x == xs[k]:  # exactly on a breakpoint: that point's y, with no rounding residue
            return finite(ys[k])
        if x <= xs[k]:
            return finite(ys[k - 1] + (ys[k] - ys[k - 1]) * (x - xs[k - 1]) / (xs[k] - xs[k - 1]))
    raise AssertionError("unreachable")


def evaluate(node: Node, row: dict):
    """The value of `node` for `row` (None is null), per DESIGN.md semantics."""
    k, d, a = node.kind, node.data, node.args
    ev = lambda n: evaluate(n, row)  # noqa: E731
    if k in ("num", "str", "bool", "date"):
        return d["value"]
    if k == "null":
        return None
    if k == "var":
        return row[d["name"]]
    if k == "neg":
        x = ev(a[0])
        return None if x is None else -x
    if k == "not":
        return kleene_not(ev(a[0]))
    if k == "and":
        return kleene_and(ev(a[0]), ev(a[1]))
    if k == "or":
        return kleene_or(ev(a[0]), ev(a[1]))
    if k == "bin":
        x, y = ev(a[0]), ev(a[1])
        if x is None or y is None:
            return None
        op = d["op"]
        if a[0].type == DATE and a[1].type == DATE:  # date - date: days
            return float(x.toordinal() - y.toordinal())
        if a[0].type == DATE:
            return date_plus_days(x, y) if op == "+" else date_minus_days(x, y)
        if op == "+":
            return finite(x + y)
        if op == "-":
            return finite(x - y)
        if op == "*":
            return finite(x * y)
        if op == "/":
            return None if y == 0 else finite(x / y)
        if op == "^":
            return py_pow(x, y)
        raise AssertionError(op)
    if k == "cmp":
        x, y = ev(a[0]), ev(a[1])
        if x is None or y is None:
            return None
        return COMPARE[d["op"]](x, y)
    if k == "in":
        x = ev(a[0])
        result = None
        for i, item in enumerate(a[1:]):
            y = ev(item)
            eq = None if x is None or y is None else x == y
            result = eq if i == 0 else kleene_or(result, eq)
        return kleene_not(result) if d["negated"] else result
    if k == "if":
        return ev(a[1]) if ev(a[0]) is True else ev(a[2])
    if k == "call":
        return evaluate_call(d["name"], a, row)
    raise AssertionError(k)


def evaluate_call(name: str, a: list, row: dict):
    ev = lambda n: evaluate(n, row)  # noqa: E731
    if name == "coalesce":
        for arg in a:
            v = ev(arg)
            if v is not None:
                return v
        return None
    if name == "is_null":
        return ev(a[0]) is None
    if name == "tier":
        x = ev(a[0])
        if x is None:
            return None
        chosen = None
        for i in range(1, len(a), 2):
            if ev(a[i]) <= x:  # thresholds are strictly ascending constants
                chosen = a[i + 1]
        return None if chosen is None else ev(chosen)
    if name == "interp":
        values = [ev(arg) for arg in a]
        if any(v is None for v in values):
            return None
        return interp(values[0], list(zip(values[1::2], values[2::2])))
    values = [ev(arg) for arg in a]
    if any(v is None for v in values):
        return None
    if name in ("min", "max"):
        out = values[0]
        for v in values[1:]:
            out = (min if name == "min" else max)(out, v)
        return out
    if name == "clamp":
        x, lo, hi = values
        return min(max(x, lo), hi)
    (x, *rest) = values
    simple = {
        "abs": lambda: abs(x),
        "floor": lambda: py_floor(x),
        "ceil": lambda: py_ceil(x),
        "sqrt": lambda: None if x < 0 else finite(math.sqrt(x)),
        "ln": lambda: None if x <= 0 else finite(math.log(x)),
        "log10": lambda: None if x <= 0 else finite(math.log10(x)),
        "exp": lambda: py_exp(x),
        "pow": lambda: py_pow(x, rest[0]),
        "mod": lambda: py_mod(x, rest[0]),
        "round": lambda: py_round(x, rest[0] if rest else 0.0),
        "days_between": lambda: float(rest[0].toordinal() - x.toordinal()),
        "add_days": lambda: date_plus_days(x, rest[0]),
        "add_months": lambda: add_months(x, rest[0]),
        "year": lambda: float(x.year),
        "month": lambda: float(x.month),
        "day": lambda: float(x.day),
        "weekday": lambda: float(x.weekday()),
        "end_of_month": lambda: end_of_month(x),
        "lower": lambda: ascii_lower(x),
        "upper": lambda: ascii_upper(x),
        "len": lambda: float(len(x)),
        "contains": lambda: rest[0] in x,
        "starts_with": lambda: x.startswith(rest[0]),
    }
    return simple[name]()


# ---------------------------------------------------------------------------------------------
# Constructors (used by the generator and by the hand-written self-checks).


def num(text: str) -> Node:
    if text.endswith("%"):
        mantissa = text[:-1]
        exponent = 0
        if "e" in mantissa:
            mantissa, e = mantissa.split("e")
            exponent = int(e)
        value = float(f"{mantissa}e{exponent - 2}")
    else:
        value = float(text)
    return Node("num", NUMBER, text=text, value=value)


def string(value: str, quote: str = '"') -> Node:
    escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return Node("str", STRING, text=f"{quote}{escaped}{quote}", value=value)


def boolean(value: bool) -> Node:
    return Node("bool", BOOL, value=value)


def null() -> Node:
    return Node("null", NULL)


def var(name: str) -> Node:
    return Node("var", VARIABLES[name], name=name)


def date_literal(value: datetime.date, quote: str = '"') -> Node:
    return Node("date", DATE, text=f"date({quote}{value.isoformat()}{quote})", value=value)


def neg(x: Node) -> Node:
    return Node("neg", NUMBER, [x])


def bin_(op: str, x: Node, y: Node, spell: str | None = None) -> Node:
    if x.type == DATE and y.type == DATE:
        t = NUMBER
    elif x.type == DATE:
        t = DATE
    else:
        t = NUMBER
    return Node("bin", t, [x, y], op=op, spell=spell or op)


def cmp(op: str, x: Node, y: Node, spell: str | None = None) -> Node:
    return Node("cmp", BOOL, [x, y], op=op, spell=spell or op)


def and_(x: Node, y: Node, spell: str = "and") -> Node:
    return Node("and", BOOL, [x, y], spell=spell)


def or_(x: Node, y: Node, spell: str = "or") -> Node:
    return Node("or", BOOL, [x, y], spell=spell)


def not_(x: Node, spell: str = "not") -> Node:
    return Node("not", BOOL, [x], spell=spell)


def in_(x: Node, items: list, negated: bool = False) -> Node:
    return Node("in", BOOL, [x, *items], negated=negated)


def if_(c: Node, x: Node, y: Node, chain: bool = False) -> Node:
    return Node("if", x.type if x.type != NULL else y.type, [c, x, y], chain=chain)


CALL_TYPES = {
    "abs": NUMBER, "floor": NUMBER, "ceil": NUMBER, "sqrt": NUMBER, "ln": NUMBER, "log10": NUMBER,
    "exp": NUMBER, "pow": NUMBER, "mod": NUMBER, "clamp": NUMBER, "round": NUMBER, "interp": NUMBER,
    "days_between": NUMBER, "year": NUMBER, "month": NUMBER, "day": NUMBER, "weekday": NUMBER,
    "len": NUMBER, "is_null": BOOL, "contains": BOOL, "starts_with": BOOL, "lower": STRING,
    "upper": STRING, "add_days": DATE, "add_months": DATE, "end_of_month": DATE,
}


def call(name: str, *args: Node) -> Node:
    if name in CALL_TYPES:
        t = CALL_TYPES[name]
    else:  # min, max, coalesce, tier: the type of the (result) arguments
        candidates = list(args[2::2]) if name == "tier" else list(args)
        typed = [x.type for x in candidates if x.type != NULL]
        # min(null) and tier(x, 0, null) are numbers; coalesce(null) is null-typed
        t = typed[0] if typed else (NULL if name == "coalesce" else NUMBER)
    return Node("call", t, args, name=name)


# ---------------------------------------------------------------------------------------------
# The generator.


# What a position may hold besides an expression of its type (the `null_ok` argument below).
NO_NULL = 0  # neither: the position decides the type of its parent
NULL_COMPOSITE = 1  # a null-typed expression such as coalesce(null, null), not the bare literal
ANY_NULL = 2  # also the bare literal null


class Generator:
    """Random well-typed expressions; `null_ok` (NO_NULL, NULL_COMPOSITE, ANY_NULL) says which
    nulls may stand at a position."""

    def __init__(self, rng: random.Random, max_depth: int = 5):
        self.rng = rng
        self.max_depth = max_depth

    # -- leaves ---------------------------------------------------------------------------

    def number_literal(self) -> Node:
        r = self.rng
        roll = r.random()
        if roll < 0.6:
            return num(r.choice(NUMBER_LITERALS))
        if roll < 0.8:
            return num(str(r.randint(0, 400)))
        digits = str(r.randint(0, 99999))
        point = r.randint(0, len(digits) - 1) if len(digits) > 1 else 0
        text = (digits[:point] or "0") + "." + digits[point:] if point else digits + ".5"
        if r.random() < 0.2:
            text += "%"
        return num(text)

    def threshold(self, value: float) -> Node:
        text = repr(value).removesuffix(".0")
        return neg(num(text.lstrip("-"))) if value < 0 else num(text)

    def random_date(self) -> datetime.date:
        if self.rng.random() < 0.3:
            return self.rng.choice(SPECIAL_DATES)
        return datetime.date.fromordinal(self.rng.randint(DATE_LOW, DATE_HIGH))

    def leaf(self, t: str, null_ok: int) -> Node:
        r = self.rng
        if null_ok >= ANY_NULL and r.random() < 0.07:
            return null()
        if r.random() < 0.55:
            return var(r.choice(NAMES_BY_TYPE[t]))
        if t == NUMBER:
            return self.number_literal()
        if t == BOOL:
            return boolean(r.random() < 0.5)
        if t == STRING:
            return string(r.choice(STRING_LITERALS), r.choice("\"'"))
        return date_literal(self.random_date(), r.choice("\"'"))

    # -- helpers --------------------------------------------------------------------------

    def typed_group(self, t: str, count: int, depth: int) -> list:
        """`count` expressions of type t, at least one of them not a bare null (so that the
        unified type is t)."""
        keep = self.rng.randrange(count)
        return [self.gen(t, depth, NO_NULL if i == keep else ANY_NULL) for i in range(count)]

    def any_type(self) -> str:
        return self.rng.choice([NUMBER, NUMBER, BOOL, STRING, DATE])

    # -- productions ----------------------------------------------------------------------

    def gen(self, t: str, depth: int, null_ok: int = NO_NULL) -> Node:
        r = self.rng
        if depth <= 0 or r.random() < 0.18 + 0.08 * (self.max_depth - depth):
            return self.leaf(t, null_ok)
        sub = depth - 1
        if null_ok >= NULL_COMPOSITE and r.random() < 0.04:
            return self.null_composite(sub)
        productions = getattr(self, f"gen_{t}")
        return productions(sub)

    def null_composite(self, sub: int) -> Node:
        """An expression made only of null: its type comes from the context."""
        r = self.rng
        choice = r.randrange(3)
        if choice == 0:
            return call("coalesce", *[null() for _ in range(r.randint(1, 2))])
        if choice == 1:
            return if_(self.gen(BOOL, sub, ANY_NULL), null(), null(), chain=False)
        return if_(self.gen(BOOL, sub, ANY_NULL), null(), call("coalesce", null(), null()))

    def common(self, t: str, sub: int):
        """if / coalesce / tier, for any result type."""
        r = self.rng
        choice = r.randrange(3)
        if choice == 0:
            x, y = self.typed_group(t, 2, sub)
            return if_(self.gen(BOOL, sub, ANY_NULL), x, y, chain=r.random() < 0.5)
        if choice == 1:
            return call("coalesce", *self.typed_group(t, r.randint(1, 3), sub))
        pairs = r.randint(1, 3)
        thresholds = sorted(r.sample(THRESHOLD_VALUES, pairs))
        results = self.typed_group(t, pairs, sub)
        args = [self.gen(NUMBER, sub, ANY_NULL)]
        for threshold, result in zip(thresholds, results):
            args += [self.threshold(threshold), result]
        return call("tier", *args)

    def gen_number(self, sub: int) -> Node:
        r = self.rng
        g = lambda t=NUMBER, null_ok=ANY_NULL: self.gen(t, sub, null_ok)  # noqa: E731
        choice = r.choices(
            ["neg", "bin", "unary_fn", "pow", "mod", "minmax", "clamp", "round", "interp",
             "common", "date_num", "date_diff", "len"],
            weights=[4, 20, 9, 3, 3, 4, 2, 4, 3, 8, 4, 3, 2],
        )[0]
        if choice == "neg":
            return neg(g())
        if choice == "bin":
            op = r.choice("+-*/^")
            spell = {"*": r.choice(["*", "×"]), "/": r.choice(["/", "÷"])}.get(op, op)
            return bin_(op, g(), g(), spell)
        if choice == "unary_fn":
            return call(r.choice(["abs", "floor", "ceil", "sqrt", "ln", "log10", "exp"]), g())
        if choice in ("pow", "mod"):
            return call(choice, g(), g())
        if choice == "minmax":
            return call(r.choice(["min", "max"]), *self.typed_group(NUMBER, r.randint(1, 3), sub))
        if choice == "clamp":
            return call("clamp", g(), g(), g())
        if choice == "round":
            if r.random() < 0.25:
                return call("round", g())
            digits = null() if r.random() < 0.05 else num(r.choice(["0", "1", "2", "3", "4", "1.5", "2.9", "0.9"]))
            return call("round", g(), digits)
        if choice == "interp":
            xs = sorted(r.sample(THRESHOLD_VALUES, r.randint(2, 3)))
            args = [g()]
            for x in xs:
                args += [self.threshold(x), g()]
            return call("interp", *args)
        if choice == "common":
            return self.common(NUMBER, sub)
        if choice == "date_num":
            name = r.choice(["year", "month", "day", "weekday", "days_between"])
            if name == "days_between":
                return call(name, g(DATE), g(DATE))
            return call(name, g(DATE))
        if choice == "date_diff":
            return bin_("-", g(DATE, NO_NULL), g(DATE, NO_NULL))
        return call("len", g(STRING))

    def gen_bool(self, sub: int) -> Node:
        r = self.rng
        g = lambda t=BOOL, null_ok=ANY_NULL: self.gen(t, sub, null_ok)  # noqa: E731
        choice = r.choices(
            ["and", "or", "not", "cmp", "bool_eq", "in", "is_null", "str_fn", "common"],
            weights=[6, 6, 4, 16, 3, 8, 3, 4, 4],
        )[0]
        if choice == "and":
            return and_(g(), g(), r.choice(["and", "&&"]))
        if choice == "or":
            return or_(g(), g(), r.choice(["or", "||"]))
        if choice == "not":
            return not_(g(), r.choice(["not", "!"]))
        if choice == "cmp":
            t = r.choice([NUMBER, NUMBER, STRING, DATE])
            op = r.choice(list(COMPARE))
            spell = {"!=": r.choice(["!=", "≠"]), "<=": r.choice(["<=", "≤"]),
                     ">=": r.choice([">=", "≥"])}.get(op, op)
            return cmp(op, g(t, NULL_COMPOSITE), g(t, NULL_COMPOSITE), spell)
        if choice == "bool_eq":
            op = r.choice(["==", "!="])
            return cmp(op, g(BOOL, NULL_COMPOSITE), g(BOOL, NULL_COMPOSITE))
        if choice == "in":
            t = r.choice([NUMBER, STRING, STRING, DATE, BOOL])
            group = self.typed_group(t, r.randint(2, 4), sub)
            return in_(group[0], group[1:], negated=r.random() < 0.35)
        if choice == "is_null":
            return call("is_null", g(self.any_type()))
        if choice == "str_fn":
            return call(r.choice(["contains", "starts_with"]), g(STRING), g(STRING))
        return self.common(BOOL, sub)

    def gen_string(self, sub: int) -> Node:
        r = self.rng
        if r.random() < 0.45:
            return call(r.choice(["lower", "upper"]), self.gen(STRING, sub, ANY_NULL))
        return self.common(STRING, sub)

    def gen_date(self, sub: int) -> Node:
        r = self.rng
        g = lambda t=DATE, null_ok=ANY_NULL: self.gen(t, sub, null_ok)  # noqa: E731
        choice = r.choices(["plus", "minus", "add_days", "add_months", "end_of_month", "minmax", "common"],
                           weights=[5, 5, 3, 4, 2, 3, 6])[0]
        if choice in ("plus", "minus"):
            return bin_("+" if choice == "plus" else "-", g(DATE, NO_NULL), g(NUMBER))
        if choice in ("add_days", "add_months"):
            return call(choice, g(), g(NUMBER))
        if choice == "end_of_month":
            return call("end_of_month", g())
        if choice == "minmax":
            return call(r.choice(["min", "max"]), *self.typed_group(DATE, r.randint(1, 3), sub))
        return self.common(DATE, sub)

    def expression(self) -> Node:
        t = self.rng.choice([NUMBER, NUMBER, NUMBER, BOOL, BOOL, STRING, DATE, DATE])
        return self.gen(t, self.max_depth, NO_NULL)


def random_rows(rng: random.Random, count: int) -> list:
    """`count` rows; row 0 has no nulls, row 1 is all nulls, the rest are ~20 % null."""

    def value(t):
        if t == NUMBER:
            roll = rng.random()
            if roll < 0.4:
                return rng.choice(SPECIAL_NUMBERS)
            if roll < 0.6:
                return float(rng.randint(-40, 400))
            return round(rng.uniform(-150, 400), rng.randint(1, 4))
        if t == BOOL:
            return rng.random() < 0.5
        if t == STRING:
            return rng.choice(STRING_VALUES)
        if rng.random() < 0.3:
            return rng.choice(SPECIAL_DATES)
        return datetime.date.fromordinal(rng.randint(DATE_LOW, DATE_HIGH))

    rows = []
    for i in range(count):
        rows.append({name: (None if i == 1 or (i > 1 and rng.random() < 0.2) else value(t))
                     for name, t in VARIABLES.items()})
    return rows


def columns_of(rows: list) -> dict:
    """The rows as batch columns: float64 with NaN, bool/str object arrays with None,
    datetime64[D] with NaT."""
    out = {}
    for name, t in VARIABLES.items():
        values = [row[name] for row in rows]
        if t == NUMBER:
            out[name] = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        elif t == DATE:
            out[name] = np.array([np.datetime64("NaT") if v is None else np.datetime64(v, "D") for v in values],
                                 dtype="datetime64[D]")
        else:
            column = np.empty(len(values), dtype=object)
            column[:] = values
            out[name] = column
    return out


# ---------------------------------------------------------------------------------------------
# Comparing results.


def row_result_matches(t: str, expected, actual) -> bool:
    if expected is None:
        return actual is None
    if t == NUMBER:
        return isinstance(actual, float) and not math.isnan(actual) and actual == expected
    if t == BOOL:
        return isinstance(actual, bool) and actual == expected
    if t == STRING:
        return isinstance(actual, str) and actual == expected
    return isinstance(actual, datetime.date) and actual == expected


def batch_result(t: str, batch, i: int):
    """Element i of a batch result as a Python value (None for null)."""
    if t == NUMBER:
        x = float(batch[i])
        return None if math.isnan(x) else x
    if t == BOOL:
        return None if np.ma.getmaskarray(batch)[i] else bool(batch.data[i])
    if t == STRING:
        return batch[i]
    x = batch[i]
    return None if np.isnat(x) else x.astype(datetime.date)


def batch_dtype_ok(t: str, batch) -> bool:
    if t == NUMBER:
        return batch.dtype == np.float64
    if t == BOOL:
        return isinstance(batch, np.ma.MaskedArray) and batch.dtype == np.bool_
    if t == STRING:
        return batch.dtype == object
    return batch.dtype == np.dtype("datetime64[D]")


def check_expression(node: Node, rows: list, columns: dict) -> list:
    """Problems found for one expression (empty when arscore and the reference agree)."""
    text = render(node)
    problems = []
    expected = [evaluate(node, row) for row in rows]
    try:
        formula = arscore.Formula(text, types=VARIABLES)
    except Exception as error:  # a well-typed expression must compile
        return [f"{text!r}: does not compile: {error}"]
    if formula.result_type != node.type:
        problems.append(f"{text!r}: result_type {formula.result_type!r}, expected {node.type!r}")
        return problems
    batch = formula.evaluate_batch(columns)
    if not batch_dtype_ok(node.type, batch) or len(batch) != len(rows):
        return [f"{text!r}: batch result {batch!r} has the wrong dtype or length"]
    for i, row in enumerate(rows):
        actual = formula.evaluate(row)
        in_batch = batch_result(node.type, batch, i)
        if not row_result_matches(node.type, expected[i], actual) or not row_result_matches(
                node.type, expected[i], in_batch):
            used = {name: row[name] for name in formula.variables}
            problems.append(f"{text!r} row {used}: expected {expected[i]!r}, "
                            f"evaluate gave {actual!r}, evaluate_batch gave {in_batch!r}")
    return problems


# ---------------------------------------------------------------------------------------------
# The random differential test.

SEEDS = list(range(40))
EXPRESSIONS_PER_SEED = 250
ROWS_PER_SEED = 10


def expressions_for(seed: int) -> tuple[list, list]:
    rng = random.Random(20260 + seed)
    rows = random_rows(rng, ROWS_PER_SEED)
    generator = Generator(rng)
    return [generator.expression() for _ in range(EXPRESSIONS_PER_SEED)], rows


@pytest.mark.parametrize("seed", SEEDS)
def test_random_expressions_agree_with_reference(seed):
    expressions, rows = expressions_for(seed)
    columns = columns_of(rows)
    problems = []
    for node in expressions:
        problems += check_expression(node, rows, columns)
    assert not problems, f"{len(problems)} disagreements, first ones:\n" + "\n".join(problems[:8])


def test_generator_covers_the_language():
    """Every production appears often enough across all seeds (so the differential test is not
    vacuous), and there are at least 3000 expressions."""
    counts = collections.Counter()
    total = 0

    def walk(node):
        key = node.kind
        if node.kind == "call":
            key = node.data["name"]
        elif node.kind == "bin":
            key = f"{node.args[0].type}{node.data['op']}{node.args[1].type}"
        elif node.kind == "cmp":
            key = f"cmp:{node.args[0].type}"
        elif node.kind == "num" and node.data["text"].endswith("%"):
            key = "percent"
        counts[key] += 1
        counts[f"type:{node.type}"] += 1
        if node.type == NULL and node.kind != "null":
            counts["null-composite"] += 1
        for child in node.args:
            walk(child)

    depths = []
    for seed in SEEDS:
        expressions, _ = expressions_for(seed)
        total += len(expressions)
        for node in expressions:
            walk(node)
            depths.append(depth_of(node))
    assert total >= 3000
    assert 6 <= max(depths) <= 7  # a root, five levels, and a constant like (-10) at the bottom
    required = ["num", "str", "bool", "null", "var", "date", "neg", "not", "and", "or", "in", "if",
                "percent", "number+number", "number-number", "number*number", "number/number",
                "number^number", "date+number", "date-number", "date-date", "cmp:number",
                "cmp:string", "cmp:date", "cmp:bool", *CALL_TYPES, "min", "max", "coalesce",
                "tier", "null-composite"]
    rare = {name: counts[name] for name in required if counts[name] < 20}
    assert not rare, f"productions generated fewer than 20 times: {rare}"


def depth_of(node: Node) -> int:
    return 1 + max((depth_of(child) for child in node.args), default=0)


# ---------------------------------------------------------------------------------------------
# Tests of the test: the reference on hand-computed expressions.

D = datetime.date
HAND_ROW = {"n1": 3.0, "n2": -2.5, "n3": None, "b1": True, "b2": None, "s1": "East", "s2": None,
            "d1": D(2026, 1, 31), "d2": D(2026, 12, 4)}

REFERENCE_CASES = [
    # (AST, its text, the hand-computed value)
    (bin_("+", bin_("*", var("n1"), num("70%"), "×"), bin_("*", num("2"), num("30%"))),
     "(n1 × 70%) + (2 * 30%)", 3.0 * 0.7 + 2 * 0.3),
    (neg(bin_("^", num("2"), num("2"))), "-(2 ^ 2)", -4.0),
    (bin_("/", var("n1"), num("0")), "n1 / 0", None),
    (call("sqrt", var("n2")), "sqrt(n2)", None),
    (call("round", num("2.675"), num("2")), "round(2.675, 2)", 2.68),
    (call("round", neg(num("0.5"))), "round((-0.5))", -1.0),
    (call("mod", neg(num("7")), num("3")), "mod((-7), 3)", 2.0),
    (or_(var("b2"), var("b1")), "b2 or b1", True),
    (and_(var("b2"), var("b1")), "b2 and b1", None),
    (and_(var("b2"), boolean(False), "&&"), "b2 && false", False),
    (in_(var("s1"), [string("West"), var("s2")]), 's1 in ("West", s2)', None),
    (in_(var("s1"), [var("s2"), string("East", "'")], negated=True), "s1 not in (s2, 'East')", False),
    (if_(var("b2"), num("1"), num("2")), "if b2 then 1 else 2", 2.0),
    (call("tier", var("n1"), num("0"), string("low"), num("3"), string("mid"), num("5"), string("high")),
     'tier(n1, 0, "low", 3, "mid", 5, "high")', "mid"),
    (call("tier", var("n2"), num("0"), string("low")), 'tier(n2, 0, "low")', None),
    (call("interp", var("n1"), num("0"), num("0"), num("10"), num("100")), "interp(n1, 0, 0, 10, 100)", 30.0),
    (call("interp", var("n2"), num("0"), num("5"), num("10"), num("100")), "interp(n2, 0, 5, 10, 100)", 5.0),
    (call("add_months", var("d1"), num("1")), "add_months(d1, 1)", D(2026, 2, 28)),
    (bin_("-", var("d1"), num("1.5")), "d1 - 1.5", D(2026, 1, 30)),
    (bin_("+", var("d1"), neg(num("1.5"))), "d1 + (-1.5)", D(2026, 1, 29)),
    (bin_("-", var("d2"), var("d1")), "d2 - d1", 307.0),
    (call("weekday", var("d2")), "weekday(d2)", 4.0),  # 2026-12-04 is a Friday
    (call("end_of_month", date_literal(D(2024, 2, 3))), 'end_of_month(date("2024-02-03"))', D(2024, 2, 29)),
    (call("upper", string("Zürich")), 'upper("Zürich")', "ZüRICH"),
    (call("len", string("北京")), 'len("北京")', 2.0),
    (call("coalesce", var("s2"), call("lower", var("s1"))), "coalesce(s2, (lower(s1)))", "east"),
    (call("is_null", var("n3")), "is_null(n3)", True),
    (call("min", var("n1"), var("n3")), "min(n1, n3)", None),
    (call("clamp", var("n1"), num("5"), num("10")), "clamp(n1, 5, 10)", 5.0),
    (call("exp", num("1000")), "exp(1000)", None),
    (bin_("*", num("1e308"), num("10")), "1e308 * 10", None),
    (call("pow", neg(num("8")), bin_("/", num("1"), num("3"))), "pow((-8), (1 / 3))", None),
    (cmp("<", string("Zürich"), string("北京")), '"Zürich" < "北京"', True),
    (cmp("<", string("Zürich"), string("east")), '"Zürich" < "east"', True),
]


@pytest.mark.parametrize("node, text, expected", REFERENCE_CASES, ids=[c[1] for c in REFERENCE_CASES])
def test_reference_evaluator_on_hand_computed_cases(node, text, expected):
    assert render(node) == text
    value = evaluate(node, HAND_ROW)
    assert value == expected and type(value) is type(expected)


def test_percent_literals_are_the_decimal_value():
    assert num("70%").data["value"] == 0.7
    assert num("12.5%").data["value"] == 0.125
    assert num("1.1%").data["value"] == 0.011 != 1.1 / 100


# ---------------------------------------------------------------------------------------------
# Precedence, written without parentheses (expected values computed by hand).

PRECEDENCE_CASES = [
    ("-2^2", {}, -4.0),
    ("-2 ^ 2", {}, -4.0),
    ("2^3^2", {}, 512.0),
    ("2 ^ 3 * 2", {}, 16.0),
    ("2 * 3 ^ 2", {}, 18.0),
    ("1 + 2 * 3", {}, 7.0),
    ("10 - 4 - 3", {}, 3.0),
    ("8 / 2 / 2", {}, 2.0),
    ("1 - -1", {}, 2.0),
    ("-n1 ^ 2", {"n1": 3.0}, -9.0),
    ("12 × 70% + 3 ÷ 4", {}, 12 * 0.7 + 3 / 4),
    ("n1 * 70% + n2 * 30%", {"n1": 100.0, "n2": 0.9}, 100.0 * 0.7 + 0.9 * 0.3),
    ("(1 + 2) * 3", {}, 9.0),
    ("（1 + 2）× 3", {}, 9.0),
    ("1 + 2 # a comment", {}, 3.0),
    ("not true or true", {}, True),
    ("not (true or true)", {}, False),
    ("not 1 < 2", {}, False),
    ("true or false and false", {}, True),
    ("false and true or true", {}, True),
    ("not b1 and b2", {"b1": False, "b2": True}, True),
    ("1 + 2 == 3 and 2 * 2 == 4", {}, True),
    ("1 ≤ 2 && 2 ≥ 3 || !false", {}, True),
    ("n1 + 1 > 2 * n1", {"n1": 0.5}, True),
    ("n1 in (1, 2) or false", {"n1": 2.0}, True),
    ("n1 not in (1, 2) and true", {"n1": 2.0}, False),
    ("if n1 > 1 then 1 else if n1 > 0 then 2 else 3", {"n1": 0.5}, 2.0),
    ("if n1 > 1 then 1 else if n1 > 0 then 2 else 3", {"n1": None}, 3.0),
    ("if b1 then n1 + 1 else n1 * 2", {"b1": None, "n1": 4.0}, 8.0),
    ("d1 + 1 - 1 == d1", {"d1": D(2026, 1, 31)}, True),
    ("d1 - 1 + 1", {"d1": D(2026, 3, 1)}, D(2026, 3, 1)),
    ("days_between(d1, d1 + 30) * 2", {"d1": D(2026, 3, 1)}, 60.0),
    ("lower(s1) == 'east' or s1 == \"West\"", {"s1": "EAST"}, True),
]


@pytest.mark.parametrize("text, row, expected", PRECEDENCE_CASES, ids=[c[0] for c in PRECEDENCE_CASES])
def test_precedence_without_parentheses(text, row, expected):
    types = {name: VARIABLES[name] for name in row}
    formula = arscore.Formula(text, types=types)
    assert formula.evaluate(row) == expected
    columns = columns_of_partial([row])
    if columns:
        (value,) = formula.evaluate_batch(columns).tolist()
        value = value if not isinstance(value, float) or not math.isnan(value) else None
        assert value == expected


def columns_of_partial(rows: list) -> dict:
    full = [{**dict.fromkeys(VARIABLES), **row} for row in rows]
    return {name: column for name, column in columns_of(full).items() if name in rows[0]}


# ---------------------------------------------------------------------------------------------
# Cases found by this file that need an isolated check (see the module docstring).


def test_date_minus_fractional_number_floors_the_number():
    """date - number: the number is floored to whole days, so d - 1.5 is d - 1 (as d + 1.5 is
    d + 1); d + (-1.5) is d - 2."""
    row = {"d1": D(2026, 1, 10), "n1": 1.5}
    types = {"d1": DATE, "n1": NUMBER}
    assert arscore.Formula("d1 + n1", types=types).evaluate(row) == D(2026, 1, 11)
    assert arscore.Formula("d1 + (-n1)", types=types).evaluate(row) == D(2026, 1, 8)
    assert arscore.Formula("d1 - n1", types=types).evaluate(row) == D(2026, 1, 9)
    assert arscore.Formula("d1 - 0.5", types=types).evaluate(row) == D(2026, 1, 10)


@pytest.mark.parametrize("text", ["null ^ 0", "1 ^ null", "pow(null, 0)", "pow(1, null)", "n1 ^ 0",
                                  "1 ^ n1", "pow(n1, 0)", "pow(1, n1)"])
def test_power_propagates_null(text):
    """Arithmetic and functions propagate null, also where C's pow(NaN, 0) and pow(1, NaN)
    give 1."""
    formula = arscore.Formula(text)
    assert formula.evaluate({"n1": None}) is None
    assert math.isnan(formula.evaluate_batch({"n1": np.array([np.nan])})[0])


NULL_POSITION_CASES = [
    # (expression, row): each must evaluate to null, row-wise and in batch, without crashing.
    ("lower(null)", {}),
    ("len(null)", {}),
    ("contains(null, 'a')", {}),
    ("starts_with(s1, null)", {"s1": "East"}),
    ("date(null)", {}),
    ("upper(coalesce(null, null))", {}),
    ("b1 and coalesce(null, null)", {"b1": True}),
    ("not coalesce(null, null)", {}),
    ("s1 == (if b1 then null else null)", {"s1": "East", "b1": True}),
    ("if b1 then s1 else coalesce(null, null)", {"s1": "East", "b1": False}),
]

_NULL_POSITION_SCRIPT = textwrap.dedent(
    """
    import datetime, json, sys
    import numpy as np
    import arscore
    text, row, types = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
    f = arscore.Formula(text, types=types)
    value = f.evaluate(row)
    columns = {}
    for name, value_ in row.items():
        column = np.empty(1, dtype=object)
        column[0] = value_
        columns[name] = column
    batch = f.evaluate_batch(columns) if columns else f.evaluate_batch({"_": np.zeros(1)})
    element = batch.tolist()[0]
    batch_null = element is None or (isinstance(element, float) and element != element)
    print(repr(value), batch_null)
    """
)


@pytest.mark.parametrize("text, row", NULL_POSITION_CASES, ids=[c[0] for c in NULL_POSITION_CASES])
def test_null_in_string_and_bool_positions(text, row):
    """Functions propagate null; a null in a string or bool position must give null, not crash
    the process (run in a subprocess, so a crash fails this test only)."""
    import json

    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(arscore.__file__)))
    types = {name: VARIABLES[name] for name in ("b1", "s1")}
    done = subprocess.run(
        [sys.executable, "-c", _NULL_POSITION_SCRIPT, text, json.dumps(row), json.dumps(types)],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 0, f"{text!r} exited with {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.split() == ["None", "True"]
