"""A DataTable that takes thousands of rows at once and builds their cells only when shown.

``DataTable.add_row`` costs ~0.1 ms a row and then measures every cell on the next idle
(about 0.4 s per 1,000 articles): a library of 10,000 took seconds to show and seconds per
filter keystroke. ``set_rows`` fills the row index in one pass and hands the table a mapping
whose cells are made on first access, so only the rows on screen (and ``get_row_at``) ever
build their ``Text``. Columns must have fixed widths: cells are never measured.

Every row is one line, so the per-row structures DataTable keeps (its ``Row`` records, the
ordered rows, the line -> row map, the index -> key map) are views over the one list of
keys, made on access: a filter keystroke that leaves 8,000 rows allocates a key list and an
index, not 40,000 objects (the garbage collector walking them cost ~20 ms a keystroke).
And a cell drawn once is kept while its row's cells stay the same (``set_rows(...,
same_cells=True)``: a filter keystroke moves rows, it does not change them), only restyled
for where it now sits: drawing a screenful of cells through Rich was most of a keystroke.

It is still a ``DataTable``: cursor, scrolling, mouse, header clicks and messages are the
stock ones. It fills private fields of Textual's DataTable (pinned in the lock files); the
library TUI tests cover it. ``add_row`` still works; ``remove_row`` is not supported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Self, overload

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from textual._two_way_dict import TwoWayDict
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets._data_table import CellType, ColumnKey, Row, RowKey

CellsFor = Callable[[int], Sequence[CellType]]
Lines = list[list[Segment]]


class _LazyRows(dict[RowKey, Any]):
    """A per-row value made the first time the table asks (``__missing__``), for the rows
    in ``_index`` only: what ``get`` and ``in`` answer without making anything."""

    _index: dict[RowKey, int]

    def get(self, key: RowKey, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return key in self._index


class _LazyCells(_LazyRows):
    """``DataTable._data``: a row's cells are built the first time the table asks."""

    def __init__(self, index: dict[RowKey, int], columns: list[ColumnKey], make: CellsFor):
        super().__init__()
        self._index = index
        self._columns = columns
        self._make = make

    def __missing__(self, key: RowKey) -> dict[ColumnKey, CellType]:
        cells = dict(zip(self._columns, self._make(self._index[key]), strict=True))
        self[key] = cells
        return cells

    def __len__(self) -> int:  # the table counts rows through len(_data)
        return len(self._index)


class _Rows(_LazyRows):
    """``DataTable.rows``: a one-line ``Row`` per key, made when first asked for."""

    def __init__(self, keys: list[RowKey], index: dict[RowKey, int]) -> None:
        super().__init__()
        self._keys = keys
        self._index = index

    def __missing__(self, key: RowKey) -> Row:
        if key not in self._index:
            raise KeyError(key)
        row = Row(key, 1)
        dict.__setitem__(self, key, row)
        return row

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[RowKey]:
        return iter(self._keys)

    def keys(self) -> Any:
        return list(self._keys)

    def values(self) -> Any:
        return [self[key] for key in self._keys]

    def items(self) -> Any:
        return [(key, self[key]) for key in self._keys]


class _Positions(TwoWayDict[RowKey, int]):
    """``DataTable._row_locations`` (key <-> index) over the key list and its index."""

    def __init__(self, keys: list[RowKey], index: dict[RowKey, int]) -> None:
        self._forward = index
        self._keys = keys

    def __setitem__(self, key: RowKey, value: int) -> None:  # add_row
        self._forward[key] = value
        if value == len(self._keys):
            self._keys.append(key)
        else:
            self._keys[value] = key

    def __delitem__(self, key: RowKey) -> None:
        raise NotImplementedError("a VirtualTable's rows are replaced with set_rows")

    def get_key(self, value: int) -> RowKey | None:
        return self._keys[value] if 0 <= value < len(self._keys) else None

    def contains_value(self, value: int) -> bool:
        return 0 <= value < len(self._keys)


class _Ordered(Sequence[Row]):
    """``DataTable.ordered_rows`` for set_rows' keys: Rows made when read."""

    def __init__(self, keys: list[RowKey], rows: _Rows) -> None:
        self._keys = keys
        self._rows = rows

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self._rows[key] for key in self._keys[index]]
        return self._rows[self._keys[index]]


class _Offsets(Sequence[tuple[RowKey, int]]):
    """``DataTable._y_offsets`` (line -> row, offset in the row): row i is line i."""

    def __init__(self, keys: list[RowKey]) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> tuple[RowKey, int]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[RowKey, int]]: ...
    def __getitem__(self, index: int | slice) -> tuple[RowKey, int] | list[tuple[RowKey, int]]:
        if isinstance(index, slice):
            return [(key, 0) for key in self._keys[index]]
        return self._keys[index], 0

    def clear(self) -> None:  # DataTable.clear empties its list; the keys are not ours
        pass


class VirtualTable(DataTable[CellType]):
    """A row-cursor table filled with ``set_rows``; ``add_row`` still works for one row."""

    _virtual: tuple[_Ordered, _Offsets] | None = None  # see __init__ (DataTable's reads it)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._known_keys: dict[str, RowKey] = {}
        # a body cell's segments before the table's styles: (row key, column, width,
        # generation) -> lines. The generation changes whenever a row's cells may have.
        self._plain_cells: LRUCache[tuple[Any, ...], Lines] = LRUCache(4000)
        self._generation = 0
        # set_rows' row order and line map, whatever ``_update_count`` says: a resize or an
        # updated cell bumps it, and DataTable then walked every row again to rebuild both
        # (0.6 s at 100,000 rows, on the library's table as the reader opened)
        self._virtual = None

    @property
    def ordered_rows(self) -> list[Row]:
        virtual = self._virtual
        if virtual is not None and len(virtual[0]) == self.row_count:
            return virtual[0]  # type: ignore[return-value]  # indexed, sliced, counted
        return super().ordered_rows

    @property
    def _y_offsets(self) -> list[tuple[RowKey, int]]:
        virtual = self._virtual
        if virtual is not None and len(virtual[1]) == self.row_count:
            return virtual[1]  # type: ignore[return-value]  # indexed, sliced, counted
        return super()._y_offsets

    def add_row(self, *args: Any, **kwargs: Any) -> RowKey:
        self._virtual = None
        return super().add_row(*args, **kwargs)

    def sort(self, *args: Any, **kwargs: Any) -> Self:
        self._virtual = None
        return super().sort(*args, **kwargs)

    def clear(self, columns: bool = False) -> Self:
        self._virtual = None
        # DataTable.clear derives the old rows' line map just to empty it: drop them first
        self._data = {}
        self.rows = {}
        self._row_locations = TwoWayDict({})
        if columns:
            self._generation += 1
        return super().clear(columns)

    def notify_style_update(self) -> None:
        self._generation += 1
        super().notify_style_update()

    def set_rows(
        self, keys: Sequence[str], cells_for: CellsFor, *, same_cells: bool = False
    ) -> None:
        """Replace every row: ``keys[i]`` is row i, ``cells_for(i)`` its cells (in column
        order), called only when row i is drawn or read. Columns stay as they are.
        ``same_cells``: each key's cells are what they were in the last ``set_rows`` (only
        which rows show, or their order, changed): cells drawn before are reused."""
        self.clear()
        if not same_cells:
            self._generation += 1
        known = self._known_keys
        try:  # every key seen before (a filter keystroke): one pass in C, 100,000 rows
            row_keys: list[RowKey] = list(map(known.__getitem__, keys))
        except KeyError:
            row_keys = []
            add = row_keys.append
            for key in keys:
                row_key = known.get(key)
                if row_key is None:
                    row_key = known[key] = RowKey(key)
                add(row_key)
        # keyed by the strings: a RowKey hashes and compares as its string, and a str's
        # hash is computed in C and cached (RowKey.__hash__ is a Python call per key)
        index: dict[Any, int] = dict(zip(keys, range(len(keys)), strict=True))
        if len(index) != len(row_keys):
            raise ValueError("duplicate row keys")
        columns = [column.key for column in self.ordered_columns]
        rows = _Rows(row_keys, index)
        self._data = _LazyCells(index, columns, cells_for)
        self.rows = rows
        self._row_locations = _Positions(row_keys, index)
        self._update_count += 1
        # what DataTable would derive row by row: the row order and the line -> row map
        ordered: Any = _Ordered(row_keys, rows)  # DataTable only indexes, slices, counts
        self._ordered_row_cache[(len(row_keys), self._update_count)] = ordered
        offsets: Any = _Offsets(row_keys)
        self._offset_cache[self._update_count] = offsets
        self._virtual = (ordered, offsets)
        # fixed-width columns and one-line rows: nothing to measure, only the virtual size
        self._require_update_dimensions = True
        self.cursor_coordinate = Coordinate(0, 0)
        if row_keys and columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # what add_row does for the first row
        self.check_idle()

    def forget_row(self, key: str) -> None:
        """Row ``key``'s cells changed: drawn again next time, while ``set_rows(...,
        same_cells=True)`` keeps the other rows' (a verdict changes one row of a queue)."""
        row_key = self._known_keys.get(key)
        if row_key is not None:
            for cached in [k for k in self._plain_cells.keys() if k[0] == row_key]:  # noqa: SIM118
                self._plain_cells.discard(cached)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> Lines:
        """DataTable's cell, drawn through Rich once per row key and generation (not once
        per ``_update_count``, which every ``set_rows`` changes); the styles of where it
        sits (zebra stripe, cursor, the row and column its mouse meta names) are applied
        to those segments each time, as DataTable's ``Styled`` wrapper would."""
        row_key = self._row_locations.get_key(row_index) if row_index >= 0 else None
        if (
            row_key is None
            or column_index < 0
            or self.fixed_rows
            or self.fixed_columns
            or self.rows[row_key].height != 1
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        column_key = self._column_locations.get_key(column_index)
        plain_key = (row_key, column_key, width, self.cell_padding, self._generation)
        plain = self._plain_cells.get(plain_key)
        if plain is None:
            cell = self._get_row_renderables(row_index)[1][column_index]
            options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            plain = self.app.console.render_lines(Padding(cell, (0, self.cell_padding)), options)
            self._plain_cells[plain_key] = plain
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index})
        pre += component_style
        return [
            [
                Segment(
                    text,
                    None if control else ((pre + style if style else pre) + post_style),
                    control,
                )
                for text, style, control in line
            ]
            for line in plain
        ]
