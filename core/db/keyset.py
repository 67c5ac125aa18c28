"""Keyset pages of a list query on SQLite: rows after (or before) a known row, and jumps by position.

The hand-written SQLite SQL of the lists' paging lives here (the lists' own SELECTs are in
core/cases/query.py and core/packages/county_query.py). A page is never `LIMIT/OFFSET` over
the whole row: it continues from the sort key of a neighbouring page (`(a, id) > (?, ?)`),
which an index on the sort column serves directly. A jump to a position none of the loaded
pages touches finds the key at that position with `OFFSET` over the sort key's columns only
(a covering index: about a millisecond per 100,000 rows skipped), counted from the nearer
end, then reads the page from that key.

A sort column that may be NULL (受理编号 of a draft, 金额 of an unassessed case) is read in two
segments, as SQLite orders them: the NULLs first when ascending, last when descending; a row
value comparison with NULL would match nothing.

On PostgreSQL (`Listing.pg`, core/db/pg.py) the same pages are read with the same SQL but for
three words: the `+column` hints are left out (its planner needs none and `+` is not defined on
text), a search's few matches are sorted by a leading `(column) IS NULL` key no index has
(the pg branch's hint), the page's rows are joined back by `Listing.ident` instead of SQLite's
rowid, and an ORDER BY over a NULL-able column says `NULLS FIRST`/`NULLS LAST` as SQLite
orders them. Both backends return the same rows in the same order (tests/test_keyset*.py,
tests/cases/test_query*.py on both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from core.db.engine import ReadConnection

R = TypeVar("R")
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Listing(Generic[R]):
    """One list query: what to select, from where, filtered how, ordered by which key.

    `order` is the sort key, its last column unique (the tie-break). `sort_matches` prefixes
    the order's columns with `+` so that SQLite collects the matches through the filter's
    own index and sorts them (right when they are few) instead of walking the order's index.
    """

    columns: str
    source: str  # FROM: the table and what the rows join
    table: str  # the table alone (`subsidy_case AS c`): counts and jumps read no joined rows
    where: Sequence[str]
    params: Sequence[object]
    order: Sequence[str]
    make: Callable[[tuple[Any, ...]], R]
    descending: bool = False
    nullable: bool = False  # whether order[0] may be NULL
    sort_matches: bool = False
    # When given, the plan is chosen by the count: up to `few` matches are collected through
    # the filter's indexes and sorted; more are found walking the order's index, with this
    # WHERE (the filter's columns written `+col`, so SQLite does not sort them all instead).
    walk_where: Sequence[str] | None = None
    few: int = 5000
    ident: str = ""  # the unique column `locate` finds a row by (c.id, c.uuid)
    alias: str = "c"  # the table's alias in `table` and `source`
    # Jumps find their key among the matches sorted (through the filter's index) even when
    # pages walk the order's index: right when that index holds the sort column too.
    jump_by_matches: bool = False
    pg: bool = False  # the SQL in PostgreSQL's words (see the module's note)


def nulls_as_sqlite(descending: bool) -> str:
    """PostgreSQL's ORDER BY words for SQLite's NULL order (first ascending, last descending)."""
    return " NULLS LAST" if descending else " NULLS FIRST"


@dataclass(frozen=True)
class _Segment:
    where: str  # "" or the NULL / NOT NULL condition on the first order column
    compared: tuple[str, ...]  # the order columns compared and sorted in this segment


@dataclass
class Keyset(Generic[R]):
    """Reads pages of a `Listing` through a connection factory (one short connection a read)."""

    listing: Listing[R]
    connect: Callable[[], Any]  # a context manager giving a connection (sqlite3, or core/db/pg.PgReader)
    _sizes: list[int] | None = field(default=None, repr=False)
    _jumps: Listing[R] | None = field(default=None, repr=False)  # see Listing.jump_by_matches

    # Whole-list figures
    def count(self) -> int:
        with self.connect() as conn:
            total = self._count(conn, "")
        self._sizes = [total] if not self.listing.nullable else None
        if self.listing.walk_where is not None:
            few = total <= self.listing.few
            if self.listing.jump_by_matches:
                self._jumps = replace(self.listing, sort_matches=True, walk_where=None)
            self.listing = replace(
                self.listing,
                sort_matches=few,
                where=self.listing.where if few else self.listing.walk_where,
                walk_where=None,
            )
        return total

    def _sizes_of(self, conn: ReadConnection) -> list[int]:
        """How many rows each segment holds (counted once; a new query makes a new Keyset)."""
        if self._sizes is None:
            self._sizes = [self._count(conn, s.where) for s in self._segments()]
        return self._sizes

    # Pages
    def select(self, offset: int, limit: int) -> list[R]:
        """Rows by LIMIT/OFFSET, for a short list read whole (the review queue)."""
        with self.connect() as conn:
            where, params = self._where("", None, None, False)
            order = self._order_by(tuple(self.listing.order), False)
            sql = f"SELECT {self.listing.columns} FROM {self.listing.source}{where}{order} LIMIT ? OFFSET ?"
            return [self.listing.make(r) for r in conn.execute(sql, [*params, limit, offset])]

    def locate(self, ident: object) -> int | None:
        """The position of the row whose `Listing.ident` is `ident`, or None if it is not listed:
        the rows before its key are counted through the order's index."""
        with self.connect() as conn:
            where, params = self._where("", None, None, False)
            join = " AND " if where else " WHERE "
            sql = f"SELECT {', '.join(self.listing.order)} FROM {self.listing.table}{where}{join}{self.listing.ident} = ?"
            found = conn.execute(sql, [*params, ident]).fetchone()
            if found is None:
                return None
            key = tuple(found)
            segments, sizes = self._segments(), self._sizes_of(conn)
            index = self._segment_of(key)
            where, params = self._where(segments[index].where, segments[index].compared, key, True)
            before = int(
                conn.execute(f"SELECT count(*) FROM {self.listing.table}{where}", params).fetchone()[0]
            )
            return sum(sizes[:index]) + before

    def read(
        self, start: int, limit: int, total: int, after: Key | None, before: Key | None
    ) -> list[tuple[Key, R]]:
        """Rows start .. start+limit-1 with their keys; `after` is the key of row start-1 and
        `before` that of row start+limit, when a neighbouring page knows them."""
        with self.connect() as conn:
            if after is not None:
                return self._forward(conn, after, limit)
            if before is not None:
                return self._backward(conn, before, limit)
            if start <= 0:
                return self._forward(conn, None, limit)
            if start + limit >= total:
                return self._backward(conn, None, limit)
            if start <= total - (start + limit):
                key = self._key_at(conn, start - 1, from_end=False)
                return self._forward(conn, key, limit) if key is not None else []
            key = self._key_at(conn, total - 1 - (start + limit), from_end=True)
            return self._backward(conn, key, limit) if key is not None else []

    # Internals
    def _segments(self) -> list[_Segment]:
        order = tuple(self.listing.order)
        if not self.listing.nullable:
            return [_Segment("", order)]
        nulls = _Segment(f"{order[0]} IS NULL", order[1:])
        values = _Segment(f"{order[0]} IS NOT NULL", order)
        # SQLite puts NULLs first in ascending order, last in descending.
        return [values, nulls] if self.listing.descending else [nulls, values]

    def _segment_of(self, key: Key) -> int:
        if not self.listing.nullable:
            return 0
        is_null = key[0] is None
        return int(is_null == self.listing.descending)

    def _count(self, conn: ReadConnection, extra: str) -> int:
        where, params = self._where(extra, None, None, False)
        sql = f"SELECT count(*) FROM {self.listing.table}{where}"
        return int(conn.execute(sql, params).fetchone()[0])

    def _where(
        self, extra: str, compared: tuple[str, ...] | None, key: Key | None, before: bool
    ) -> tuple[str, list[object]]:
        clauses = [*self.listing.where]
        params = [*self.listing.params]
        if extra:
            clauses.append(extra)
        if compared is not None and key is not None:
            values = list(key[len(self.listing.order) - len(compared) :])
            # Forward in display order is ">" ascending and "<" descending; backward the reverse.
            greater = self.listing.descending == before
            cols = ", ".join(self._col(c) for c in compared)
            marks = ", ".join("?" * len(values))
            clauses.append(f"({cols}) {'>' if greater else '<'} ({marks})")
            params += values
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _col(self, column: str) -> str:
        return f"+{column}" if self.listing.sort_matches and not self.listing.pg else column

    def _order_by(self, compared: tuple[str, ...], reverse: bool) -> str:
        descending = self.listing.descending != reverse
        direction = " DESC" if descending else ""
        if not self.listing.pg:
            return " ORDER BY " + ", ".join(f"{self._col(c)}{direction}" for c in compared)
        nulls = nulls_as_sqlite(descending)
        terms = [f"{c}{direction}{nulls}" for c in compared]
        if self.listing.sort_matches and compared:
            # PostgreSQL's form of the `+column` hint: a leading key no index has, so that the
            # few matches are sorted instead of the order's index walked.
            terms.insert(0, f"({compared[0]}) IS NULL{' DESC' if not descending else ''}")
        return " ORDER BY " + ", ".join(terms)

    def _select(
        self, conn: ReadConnection, seg: _Segment, key: Key | None, limit: int, reverse: bool
    ) -> list[tuple[Key, R]]:
        """The page's keys from the table alone (an index), then its rows joined: SQLite would
        otherwise join every match before sorting them."""
        where, params = self._where(seg.where, seg.compared, key, reverse)
        order = self.listing.order
        n, alias = len(order), self.listing.alias
        row = self.listing.ident if self.listing.pg else f"{alias}.rowid"
        keys = ", ".join(f"{col} AS k{i}" for i, col in enumerate(order))
        inner = (
            f"SELECT {keys}, {row} AS k_row FROM {self.listing.table}{where}"
            f"{self._order_by(seg.compared, reverse)} LIMIT ?"
        )
        direction = " DESC" if self.listing.descending != reverse else ""
        outer_order = ", ".join(f"k.k{i}{direction}" for i in range(n - len(seg.compared), n))
        sql = (
            f"SELECT {self.listing.columns}, {', '.join(f'k.k{i}' for i in range(n))} FROM ({inner}) AS k, "
            f"{self.listing.source} WHERE {row} = k.k_row ORDER BY {outer_order}"
        )
        return [(tuple(r[-n:]), self.listing.make(r)) for r in conn.execute(sql, [*params, limit])]

    def _forward(self, conn: ReadConnection, after: Key | None, limit: int) -> list[tuple[Key, R]]:
        segments = self._segments()
        first = 0 if after is None else self._segment_of(after)
        rows: list[tuple[Key, R]] = []
        for index in range(first, len(segments)):
            key = after if index == first else None
            rows += self._select(conn, segments[index], key, limit - len(rows), reverse=False)
            if len(rows) >= limit:
                break
        return rows

    def _backward(self, conn: ReadConnection, before: Key | None, limit: int) -> list[tuple[Key, R]]:
        segments = self._segments()
        last = len(segments) - 1 if before is None else self._segment_of(before)
        rows: list[tuple[Key, R]] = []
        for index in range(last, -1, -1):
            key = before if index == last else None
            rows += self._select(conn, segments[index], key, limit - len(rows), reverse=True)
            if len(rows) >= limit:
                break
        rows.reverse()
        return rows

    def _key_at(self, conn: ReadConnection, offset: int, from_end: bool) -> Key | None:
        """The key of the row `offset` places from the start (or from the end) of the list."""
        segments = self._segments()
        sizes = self._sizes_of(conn)
        order = range(len(segments) - 1, -1, -1) if from_end else range(len(segments))
        for index in order:
            if offset < sizes[index]:
                return self._key_in(conn, segments[index], offset, sizes[index], from_end)
            offset -= sizes[index]
        return None

    def _key_in(
        self, conn: ReadConnection, seg: _Segment, offset: int, size: int, from_end: bool
    ) -> Key | None:
        if offset > size // 2:  # nearer the other end of this segment
            offset, from_end = size - 1 - offset, not from_end
        by = self if self._jumps is None else Keyset(self._jumps, self.connect)
        where, params = by._where(seg.where, None, None, False)
        sql = (
            f"SELECT {', '.join(self.listing.order)} FROM {self.listing.table}{where}"
            f"{by._order_by(seg.compared, from_end)} LIMIT 1 OFFSET ?"
        )
        found = conn.execute(sql, [*params, offset]).fetchone()
        return tuple(found) if found else None
