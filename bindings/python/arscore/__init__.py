"""arscore: accounts-receivable risk — customer scores, salesperson performance, escalations.

The native code lives in the private extension ``arscore._arscore``; this package re-exports
its public names. See DESIGN.md for the API contract.
"""

from ._arscore import Error, __version__

__all__ = ["Error", "__version__"]
