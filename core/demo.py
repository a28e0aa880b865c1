"""The demo data's shape: what each app's demo step reports to ``manage.py seed_demo``."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Seeded:
    """What a demo step added, as ``{(singular, plural): how many}``, and the demo logins it knows of."""

    added: dict = field(default_factory=dict)
    logins: tuple = ()


def counted(n, singular, plural=None):
    """``{("risk", "risks"): 3}``: a part of a demo step's report."""
    return {(singular, plural or singular + "s"): n}


def described(added):
    """["15 partnerships", "1 agreement"]: the non-zero counts, in words."""
    return [f"{n} {singular if n == 1 else plural}" for (singular, plural), n in added.items() if n]
