"""A DataTable that takes thousands of rows at once and builds their cells only when shown.

``DataTable.add_row`` costs ~0.1 ms a row and then measures every cell on the next idle
(about 0.4 s per 1,000 articles): a library of 10,000 took seconds to show and seconds per
filter keystroke. ``set_rows`` fills the row index in one pass and hands the table a mapping
whose cells are made on first access, so only the rows on screen (and ``get_row_at``) ever
build their ``Text``. Columns must have fixed widths: cells are never measured.

It is still a ``DataTable``: cursor, scrolling, mouse, header clicks and messages are the
stock ones. It fills private fields of Textual's DataTable (pinned in the lock files); the
library TUI tests cover it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Self

from textual._two_way_dict import TwoWayDict
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets._data_table import CellType, ColumnKey, Row, RowKey

CellsFor = Callable[[int], Sequence[CellType]]


class _LazyCells(dict[RowKey, dict[ColumnKey, CellType]]):
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

    def get(self, key: RowKey, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __len__(self) -> int:  # the table counts rows through len(_data)
        return len(self._index)


class VirtualTable(DataTable[CellType]):
    """A row-cursor table filled with ``set_rows``; ``add_row`` still works for one row."""

    def clear(self, columns: bool = False) -> Self:
        # DataTable.clear derives the old rows' line map just to empty it: drop them first
        self._data = {}
        self.rows = {}
        self._row_locations = TwoWayDict({})
        return super().clear(columns)

    def set_rows(self, keys: Sequence[str], cells_for: CellsFor) -> None:
        """Replace every row: ``keys[i]`` is row i, ``cells_for(i)`` its cells (in column
        order), called only when row i is drawn or read. Columns stay as they are."""
        self.clear()
        known: dict[str, RowKey] = getattr(self, "_known_keys", {})
        row_keys = [known.get(key) or RowKey(key) for key in keys]
        self._known_keys = {key.value: key for key in row_keys if key.value is not None}
        index = {key: i for i, key in enumerate(row_keys)}
        if len(index) != len(row_keys):
            raise ValueError("duplicate row keys")
        columns = [column.key for column in self.ordered_columns]
        ordered = [Row(key, 1) for key in row_keys]
        self._data = _LazyCells(index, columns, cells_for)
        self.rows = dict(zip(row_keys, ordered, strict=True))
        self._row_locations = TwoWayDict(index)
        self._update_count += 1
        # what DataTable would derive row by row, in one pass each: the row order and the
        # line -> row map (every row is one line)
        self._ordered_row_cache[(len(ordered), self._update_count)] = ordered
        self._offset_cache[self._update_count] = [(key, 0) for key in row_keys]
        # fixed-width columns and one-line rows: nothing to measure, only the virtual size
        self._require_update_dimensions = True
        self.cursor_coordinate = Coordinate(0, 0)
        if row_keys and columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # what add_row does for the first row
        self.check_idle()
