"""arscore: accounts-receivable risk — customer scores, salesperson performance, escalations.

The native code lives in the private extension ``arscore._arscore``; this package re-exports
its public names (the contract is DESIGN.md's "Python API contract"). Each area imports its
names in its own block.
"""

from ._arscore import Error, __version__

__all__ = ["Error", "__version__"]

# formula
from ._arscore import FormulaError
from ._formula import Formula, Sheet

__all__ += ["Formula", "FormulaError", "Sheet"]

# risk
from . import metrics
from ._logistic import ConvergenceWarning, LogisticRegression, NotFittedError
from ._scorecard import Scorecard

__all__ += ["ConvergenceWarning", "LogisticRegression", "NotFittedError", "Scorecard", "metrics"]

# ledger
from ._arscore import Calendar  # noqa: E402
from ._ledger import Ledger  # noqa: E402

__all__ += ["Calendar", "Ledger"]

# rules
from ._arscore import EscalationPolicy, EscalationState  # noqa: E402
from ._rules import EscalationEngine  # noqa: E402

__all__ += ["EscalationEngine", "EscalationPolicy", "EscalationState"]
