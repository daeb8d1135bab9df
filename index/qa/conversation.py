"""Conversations: a question read in the light of the earlier answers, without a language model.

    conv = ix.conversation()
    conv.ask("which trials exclude hepatocellular carcinoma?")   # 4 trials
    conv.ask("which of them are double-blind?")                  # among those 4: NCT01218464
    conv.ask("how many patients will it enrol?")                 # about NCT01218464

Each question is read by the cue words of `followups.json` (`index.qa.followups`), in this
order: a question that names an NCT ID is its own; an ordinal ("the second"), "the other
one", a distinctive name ("the Royan one") or a pronoun ("it", "that trial") means one trial
of the previous answer; a narrowing phrase ("which of them", "only the ... ones"), a plural
pronoun or an opening "and ..." means the previous answer's trials; anything else, and any
question that names its own subject ("which trials ...") without such a cue, starts afresh.
The cue is cut out, the rest is asked with ``within`` the trials it refers to, and the
`Answer` says how it was read (``context``). A follow-up with nothing left to search for
("and in the other one?") asks the previous question again, of the trials it now refers to.

The state (`to_dict`, `from_dict`) is small JSON: the previous answer's matched trials (all of
them, not only those shown), the order shown, the trial the conversation is about and the
distinctive name words of the shown trials.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from index.facts.constraints import Filters, parse
from index.model import NCT_RE, Trial
from index.qa.evidence import LIST_MIN_SUPPORT
from index.qa.followups import Cues, cues, cut, narrowed, quoted, without
from index.results import Answer, ConversationContext
from index.text.tokenize import parse_terms, tokenize

STATE_VERSION = 1
MAX_GROUP = 1000  # matched trials kept from one answer
MAX_NAMED = 20  # shown trials whose name words are kept
MAX_WORDS = 16  # name words kept per trial
TRIAL_MIN_SUPPORT = 0.25  # a lookup about one trial of the previous answer (see `_from_the_trial`)


class _Conditions(Protocol):
    condition_names: set[str]


class QuestionIndex(Protocol):
    """What a conversation needs of an index (`TrialIndex` is one)."""

    @property
    def trials(self) -> Mapping[str, Trial]: ...

    @property
    def identity(self) -> _Conditions: ...

    def ask(
        self, question: str, k: int = 10, filters: Filters = None, within: Collection[str] | None = None
    ) -> Answer: ...


@dataclass
class State:
    """What a conversation remembers of its previous answers."""

    group: list[str] = field(default_factory=list)  # every trial the last answer with trials matched
    shown: list[str] = field(default_factory=list)  # those it listed, in order
    about: str | None = None  # the one trial the conversation is about, if any
    focus: str = "list"  # "trial" when the last answer was about one trial
    words: dict[str, list[str]] = field(default_factory=dict)  # distinctive name words of shown trials
    query: str | None = None  # the last question as it was searched
    turns: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "turns": self.turns,
            "group": list(self.group),
            "shown": list(self.shown),
            "about": self.about,
            "focus": self.focus,
            "words": {k: list(v) for k, v in self.words.items()},
            "query": self.query,
        }

    @classmethod
    def from_dict(cls, d: object) -> State:
        """The state `to_dict` gave; `ValueError` naming what is wrong otherwise."""
        if not isinstance(d, dict) or d.get("version") != STATE_VERSION:
            raise ValueError(f"not a trialqa conversation state (version {STATE_VERSION} expected)")
        about, query, turns, words = d.get("about"), d.get("query"), d.get("turns", 0), d.get("words", {})
        if about is not None and not (isinstance(about, str) and NCT_RE.fullmatch(about)):
            raise ValueError("conversation state: about must be an NCT ID or null")
        if query is not None and not isinstance(query, str):
            raise ValueError("conversation state: query must be text or null")
        if not isinstance(turns, int) or isinstance(turns, bool) or turns < 0:
            raise ValueError("conversation state: turns must be a whole number")
        if d.get("focus", "list") not in ("list", "trial"):
            raise ValueError('conversation state: focus must be "list" or "trial"')
        if not isinstance(words, dict) or not all(
            isinstance(v, list) and all(isinstance(w, str) for w in v) for v in words.values()
        ):
            raise ValueError("conversation state: words must map NCT IDs to lists of words")
        return cls(
            group=_ids(d, "group"),
            shown=_ids(d, "shown"),
            about=about,
            focus=d.get("focus", "list"),
            words={str(k): list(v) for k, v in words.items()},
            query=query,
            turns=turns,
        )


def _ids(d: dict[str, Any], key: str) -> list[str]:
    v = d.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, str) and NCT_RE.fullmatch(x) for x in v):
        raise ValueError(f"conversation state: {key} must be a list of NCT IDs")
    return v[:MAX_GROUP]


@dataclass(frozen=True)
class Reading:
    """How a question was read: the scope, the trials it refers to, what to search and why."""

    scope: str  # "all", "previous" or "trial"
    trials: tuple[str, ...]
    asked: str
    reason: str


class Conversation:
    """Questions in turn over one index; each answer may lean on the previous ones.
    Not shared between threads: keep one per user, thread or channel (its state is JSON)."""

    def __init__(self, index: QuestionIndex, state: dict[str, Any] | None = None) -> None:
        self.index = index
        self.state = State.from_dict(state) if state is not None else State()

    def to_dict(self) -> dict[str, Any]:
        return self.state.to_dict()

    @classmethod
    def from_dict(cls, index: QuestionIndex, state: dict[str, Any]) -> Conversation:
        return cls(index, state)

    @staticmethod
    def check_state(state: object) -> None:
        """Raise `ValueError` unless ``state`` is a state `to_dict` gave."""
        State.from_dict(state)

    def reset(self) -> None:
        """Forget the earlier answers: the next question starts afresh."""
        self.state = State()

    def ask(self, question: str, k: int = 10, filters: Filters = None) -> Answer:
        """The answer to ``question`` read as a follow-up of the earlier ones (see the module)."""
        from index.text.clean import clean_question

        q, problem = clean_question(question)
        if problem:  # empty, too long: answered as `TrialIndex.ask` answers it; nothing remembered
            a = self._ask(question, k, filters, None)
            return replace(a, context=ConversationContext("all", (), "not a question to read", a.question))
        r = read(q, self.state, self.index.identity.condition_names)
        if r.scope == "trial":
            r, a = self._about_one(r, k, filters)
        else:
            a = self._ask(r.asked, k, filters, None if r.scope == "all" else r.trials)
        context = ConversationContext(r.scope, r.trials, r.reason, r.asked)
        a = replace(a, question=q, context=context, message=_scoped_message(a, r))
        self.state = after(self.state, r, a, k, self.index.trials)
        return a

    def _ask(self, question: str, k: int, filters: Filters, within: Collection[str] | None) -> Answer:
        """The index's answer; ``filters`` and ``within`` are passed only when set."""
        extra: dict[str, Any] = {"filters": filters} if filters else {}
        if within is not None:
            extra["within"] = within
        return self.index.ask(question, k=k, **extra)

    def _about_one(self, r: Reading, k: int, filters: Filters) -> tuple[Reading, Answer]:
        """A question about one trial: a fact it asks for ("what dose", "how many patients")
        from the fact layer's cited line, else its passages (`_from_the_trial`)."""
        field = next((name for name, rx in cues().facts if rx.search(r.asked)), None)
        if field is not None:
            asked = f"compare the {field}"
            a = self._ask(asked, k, filters, r.trials)
            if not a.no_answer and a.table:
                fact = replace(
                    a, kind="lookup", table=None, compared=None, not_stated=None, constraints=None, left_out=None
                )
                reason = f"{r.reason}; it asks for the trial's {field}"
                return replace(r, asked=asked, reason=reason), replace(
                    fact, message=f"{field.capitalize()}: {a.table[0].value}."
                )
        return r, _from_the_trial(self._ask(r.asked, k, filters, r.trials))


def _from_the_trial(a: Answer) -> Answer:
    """A lookup about the one trial a follow-up means is answered from that trial when its best
    passages cover enough of the question (a question that names its trial is answered from
    it whatever they cover; one that does not name it needs `SENTENCE_MIN`)."""
    if not a.no_answer or a.kind != "lookup" or not a.more or a.more[0].support < TRIAL_MIN_SUPPORT:
        return a
    return replace(a, trials=a.more[:1], more=a.more[1:], no_answer=False, message=None)


def read(q: str, s: State, condition_names: Collection[str]) -> Reading:
    """How ``q`` refers to the earlier answers that ``s`` remembers."""
    if not s.group:
        if s.turns == 0:
            return Reading("all", (), q, "the first question of the conversation")
        rest, phrases = narrowed(q, cues())
        return Reading("all", (), rest if phrases else q, "no earlier answer listed a trial to refer to")
    if NCT_RE.search(q.upper()):
        return Reading("all", (), q, "a question of its own: it names its trial")
    c = cues()
    lead = c.lead_rx.match(q)
    body = q[lead.end() :] if lead else q
    subject = c.subject_rx.search(body)
    one = _one_trial(body, s, c, own_subject=subject is not None)
    if one is not None:
        nct, rest, why = one
        return _complete(Reading("trial", (nct,), rest, why), lead, s, condition_names)
    n = len(s.group)
    rest, phrases = narrowed(body, c)
    if phrases:
        why = f"{quoted(phrases[0])} refers to the {_trials(n)} of the previous answer"
    elif subject is None and (m := c.plural_rx.search(body)):
        rest, why = (
            without(body, c.plural_rx),
            f"{quoted(m.group(0))} refers to the {_trials(n)} of the previous answer",
        )
    elif lead and subject is None:
        opening = quoted(lead.group(0).strip(" ,"))
        if s.focus == "trial" and s.about:
            return _complete(
                Reading("trial", (s.about,), body, f"{opening} continues about {s.about}"), lead, s, condition_names
            )
        why = f"{opening} continues the previous question: among the {_trials(n)} of its answer"
    else:
        why = (
            "a question of its own: it names its subject"
            if subject
            else "a question of its own: no word refers to an earlier answer"
        )
        return Reading("all", (), q, why)
    return _complete(Reading("previous", tuple(s.group), rest, why), lead, s, condition_names)


def _trials(n: int) -> str:
    return f"{n} trial" if n == 1 else f"{n} trials"


def _one_trial(body: str, s: State, c: Cues, own_subject: bool) -> tuple[str, str, str] | None:
    """(NCT ID, the question without the reference, why) when ``body`` means one trial."""
    for rx in (c.ordinal_rx, c.numbered_rx):
        m = rx.search(body)
        if m:
            word = m.group(1).lower()
            n = int(word) if word.isdigit() else c.ordinals[word]
            i = n - 1 if n > 0 else len(s.shown) + n
            if 0 <= i < len(s.shown):
                why = f"{quoted(m.group(0))} is the trial listed {_place(i + 1)} in the previous answer"
                return s.shown[i], cut(body, m.span()), why
    m = c.other_rx.search(body)
    other = _other(s) if m else None
    if m and other:
        return other, cut(body, m.span()), f"{quoted(m.group(0))} is the one of the two trials not asked about last"
    for m in c.named_rx.finditer(body):
        nct = _named(m.group(1), s)
        if nct:
            return nct, cut(body, m.span()), f"{quoted(m.group(0))} is the previous answer's trial named so"
    m = c.single_strong_rx.search(body) or (None if own_subject else c.single_weak_rx.search(body))
    if m is None:
        return None
    if s.about:
        nct, which = s.about, "the trial the conversation is about"
    elif len(s.group) == 1:
        nct, which = s.group[0], "the only trial of the previous answer"
    else:
        nct, which = (s.shown or s.group)[0], f"the first of the {len(s.group)} trials of the previous answer"
    rest = without(without(body, c.single_strong_rx), c.single_weak_rx)
    return nct, rest, f"{quoted(m.group(0))} is {which}"


def _place(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


def _other(s: State) -> str | None:
    pair = s.shown if len(s.shown) == 2 else s.group if len(s.group) == 2 else None
    if not pair:
        return None
    if s.about in pair:
        return pair[1] if pair[0] == s.about else pair[0]
    return pair[1]


def _named(phrase: str, s: State) -> str | None:
    """The one shown trial that some word of ``phrase`` names distinctively (sponsor, title, place)."""
    toks = set(tokenize(phrase))
    hits = [n for n in s.shown if toks & set(s.words.get(n, ()))]
    return hits[0] if toks and len(hits) == 1 else None


def _complete(r: Reading, lead: re.Match[str] | None, s: State, condition_names: Collection[str]) -> Reading:
    """An elliptical follow-up ("and in the other one?") with nothing left to search for asks
    the previous question again."""
    rest = r.asked
    if lead and s.query and not _has_content(rest, condition_names):
        return replace(r, asked=s.query, reason=f"{r.reason}; it repeats the previous question {quoted(s.query)}")
    if not rest.strip(" ?.!,"):
        rest = "tell me about it" if r.scope == "trial" else "tell me about them"
    return replace(r, asked=rest)


def _has_content(text: str, condition_names: Collection[str]) -> bool:
    groups, _ = parse_terms(text)
    if groups:
        return True
    found, _ = parse(text, set(condition_names))
    return bool(found)


def matched_ids(a: Answer, k: int) -> list[str]:
    """Every trial the answer matched: those listed, then those below them that match too (a
    fact answer's further trials; a listing's further trials that clear its support line
    when the listing was cut at ``k``)."""
    ids = [t.nct_id for t in a.trials]
    if a.constraints is not None or a.kind in ("count", "compare"):
        ids += [t.nct_id for t in a.more]
    elif a.kind == "list" and len(a.trials) >= k:
        ids += [t.nct_id for t in a.more if t.support >= LIST_MIN_SUPPORT]
    return list(dict.fromkeys(ids))[:MAX_GROUP]


def after(s: State, r: Reading, a: Answer, k: int, trials: Mapping[str, Trial]) -> State:
    """The state once ``a`` answered the question read as ``r``."""
    turns = s.turns + 1
    if r.scope == "trial":  # the group stays: "the other one" may follow
        return replace(s, about=r.trials[0], focus="trial", query=r.asked, turns=turns)
    matched = matched_ids(a, k)
    if not matched:  # nothing listed: the earlier answer is still the one to refer to
        return replace(s, query=r.asked, turns=turns)
    shown = [t.nct_id for t in a.trials][:MAX_GROUP]
    one = a.kind == "lookup" or len(matched) == 1
    return State(
        group=matched,
        shown=shown,
        about=shown[0] if one and shown else None,
        focus="trial" if one else "list",
        words=name_words(shown[:MAX_NAMED], trials),
        query=r.asked,
        turns=turns,
    )


def name_words(shown: Sequence[str], trials: Mapping[str, Trial]) -> dict[str, list[str]]:
    """For each trial, the words of its sponsor, places and title that no other of ``shown`` has."""
    own: dict[str, list[str]] = {}
    for nct in shown:
        t = trials.get(nct)
        if t is not None:
            own[nct] = list(dict.fromkeys(tokenize(" ".join([t.sponsor or "", *t.locations, t.title]))))
    out = {}
    for nct, words in own.items():
        others = {w for n, ws in own.items() if n != nct for w in ws}
        out[nct] = [w for w in words if w not in others][:MAX_WORDS]
    return out


_NONE = re.compile(r"^No trial in the corpus (supports|matches|states)\b")
_VERB = {"supports": "support", "matches": "match", "states": "state"}


def _scoped_message(a: Answer, r: Reading) -> str | None:
    """A no-answer message that speaks of the trials the question was asked of."""
    m = _NONE.match(a.message or "") if a.no_answer else None
    if m is None or r.scope == "all":
        return a.message
    if r.scope == "trial":
        head = f"{r.trials[0]} does not {_VERB[m.group(1)]}"
    else:
        n = len(r.trials)
        head = (
            f"None of the {n} trials of the previous answer {m.group(1)}"
            if n != 1
            else f"The one trial of the previous answer ({r.trials[0]}) does not {_VERB[m.group(1)]}"
        )
    return head + (a.message or "")[m.end() :]
