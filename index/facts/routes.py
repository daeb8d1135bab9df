"""A route a question asks trials not to use: "which trials do not give the cells through a
peripheral vein?", "route their cells somewhere other than a peripheral vein" (op "not": a trial
whose stated routes are all others matches, cited for them; one that states none is unknown)."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.facts.constraint import Constraint, make

# A route as a question names it -> the word of the facts' route name it is in
# ("peripheral vein / intravenous", "hepatic artery", "portal vein").
_ROUTE = (
    r"((?:a\s+|an\s+|the\s+)?(?:peripheral\s+veins?|(?:ordinary\s+|normal\s+|arm\s+)?veins?|IV|i\.v\.|intravenous\w*"
    r"|drips?|hepatic\s+arter(?:y|ies)|arter(?:y|ies)|intra-?arterial\w*|portal\s+veins?|intra-?portal\w*))"
)
_GIVE = r"(?:give|gives|use|uses|deliver|delivers|infuse|infuses|inject|injects|administer|administers|put|puts|route)"
NOT_ROUTE = (
    r"\b(?:do(?:es)?\s*n[o']t|don'?t|doesn'?t|never)\s+"
    + _GIVE
    + r"\s+(?:\w+\s+){0,3}?(?:(?:through|via|into|by|in)\s+)?"
    + _ROUTE
    + r"|\b(?:somewhere|anywhere|any\s+route|a\s+route)\s+other\s+than\s+(?:through\s+|via\s+|into\s+)?"
    + _ROUTE
)


def _key(route: str) -> str:
    r = route.lower()
    if "portal" in r:
        return "portal"
    if "arter" in r:
        return "artery"
    return "intravenous"


def not_route(m: re.Match[str]) -> Constraint:
    return make("route", "not", _key(m.group(1) or m.group(2)))


RULES: tuple[tuple[str, Callable[[re.Match[str]], Constraint | None]], ...] = ((NOT_ROUTE, not_route),)
