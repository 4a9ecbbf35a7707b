"""Lineage across a reorganisation (sắp xếp đơn vị hành chính): the rules of a merge map.

A merge map says which units, active the day before a date, became (part of) which units
active on that date. From it follow which old units end, which units under an old unit move
with it to its successor, which stay where they are and need a person to say where they now
belong, and — when a selection policy asks for it — how a unit's record of meeting the
standard runs back through the units it was made from. Everything here is pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date

from movement_cli.core.roster import day_before


@dataclass(frozen=True)
class MergePlan:
    """What a merge map does to the old units.

    ``closing``: old codes that no row continues under their own code — they end the day
    before the date. ``whole``: an old code that went wholly into one unit under another code
    -> that code (its children move there). ``split``: an old code that went into several
    units -> their codes, sorted (its children stay and are named in a warning)."""

    closing: frozenset[str]
    whole: Mapping[str, str]
    split: Mapping[str, tuple[str, ...]]


def plan_merge(pairs: Iterable[tuple[str, str]]) -> MergePlan:
    """The plan of the map's distinct (old code, new code) pairs. An old code may equal its
    new code: the unit kept its code (and usually took a new name), so it does not end."""
    pairs = list(pairs)
    successor = dict(pairs)
    if len(successor) == len(pairs):
        # The common case, and a national map's: every old unit went into one new unit.
        whole = {old: new for old, new in successor.items() if old != new}
        return MergePlan(frozenset(whole), whole, {})
    successors: dict[str, set[str]] = {}
    for old, new in pairs:
        successors.setdefault(old, set()).add(new)
    closing = frozenset(old for old, news in successors.items() if old not in news)
    whole = {old: next(iter(news)) for old, news in successors.items()
             if len(news) == 1 and old not in news}
    split = {old: tuple(sorted(news)) for old, news in successors.items() if len(news) > 1}
    return MergePlan(closing, whole, split)


@dataclass(frozen=True)
class ChildMoves:
    """Units under old units: ``moves`` are (child, new parent); ``stay`` are (child, old
    parent, the parent's successors) for children of a split parent."""

    moves: tuple[tuple[str, str], ...]
    stay: tuple[tuple[str, str, tuple[str, ...]], ...]


def move_children(children: Iterable[tuple[str, str]], plan: MergePlan) -> ChildMoves:
    """For each (child code, parent code) active on the map's date: a child of a parent that
    went wholly into another unit moves under it; a child of a split parent stays, because
    only a person knows which part it lies in. Children of a parent that kept its code stay
    under that code without a change."""
    moves, stay = [], []
    for child, parent in children:
        new_parent = plan.whole.get(parent)
        if new_parent is not None:
            moves.append((child, new_parent))
        elif parent in plan.split:
            stay.append((child, parent, plan.split[parent]))
    return ChildMoves(tuple(moves), tuple(stay))


def streak_through_predecessors(
    code: str,
    before_year: int,
    met_years: Mapping[str, Set[int]],
    links_into: Mapping[str, Sequence[tuple[str, str]]],
    as_of: str,
    result_day: Callable[[int], date],
) -> int:
    """How many years in a row, ending the year before ``before_year``, the unit under
    ``code`` (as it stands on ``as_of``, ISO) met the standard, counting a year that ended
    before the unit existed through the units it was made from.

    ``met_years`` maps a code to the years its unit met the standard; ``links_into`` maps a
    new code to its (old code, ISO date of the link) pairs. A year counts for a unit made on
    date D when the year's result day (``result_day``) is on or after D and the code met the
    standard that year; a year before D counts when every unit it was made from on D met it
    then — a merged unit is no safer than its weakest part — each judged the same way as it
    stood the day before D.
    """
    count = 0
    year = before_year - 1
    while _met(code, year, as_of, met_years, links_into, result_day):
        count += 1
        year -= 1
    return count


def _met(code: str, year: int, as_of: str, met_years: Mapping[str, Set[int]],
         links_into: Mapping[str, Sequence[tuple[str, str]]],
         result_day: Callable[[int], date]) -> bool:
    made_on = max((day for _, day in links_into.get(code, ()) if day <= as_of), default=None)
    if made_on is None or result_day(year).isoformat() >= made_on:
        return year in met_years.get(code, ())
    sources = [old for old, day in links_into[code] if day == made_on]
    return all(_met(old, year, day_before(made_on), met_years, links_into, result_day)
               for old in sources)
