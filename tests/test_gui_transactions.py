"""The transactions table: lazy paging, filters, time sorting, and the model contract."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDateTime, QLocale, QModelIndex, Qt, QTime
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QProgressBar, QTableView
from pytestqt.qtbot import QtBot

from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.state import NewKey, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.ui.transactions.model import PAGE_SIZE, Column, TransactionsModel
from cryptact_desktop.ui.transactions.view import TransactionsView

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

T0 = 1_700_000_000_000  # 2023-11-14 22:13:20 UTC
STEP = 60_000
MAIN_ROWS = 4_000  # spot trades (even i: BTC, odd i: ETH)
SUB_ROWS = 1_000  # deposits of USDT


def _trade(i: int) -> NormalizedRecord:
    return NormalizedRecord(
        exchange_id=f"exec-{i}",
        timestamp_ms=T0 + i * STEP,
        kind=TransactionKind.TRADE,
        base="BTC" if i % 2 == 0 else "ETH",
        quote="USDT",
        side=Side.BUY if i % 3 else Side.SELL,
        amount="0.01",
        price="35000.5",
        fee="0.00001",
        fee_currency="BTC" if i % 2 == 0 else "ETH",
        raw={"execId": f"exec-{i}"},
    )


def _deposit(i: int) -> NormalizedRecord:
    return NormalizedRecord(
        exchange_id=f"dep-{i}",
        timestamp_ms=T0 + i * STEP + 30_000,
        kind=TransactionKind.DEPOSIT,
        base="USDT",
        side=Side.IN,
        amount="100",
        tx_hash=f"0xhash{i}",
        network="ETH",
        raw={"id": f"dep-{i}"},
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """A database with 5,000 transactions, written once through Store.commit_page."""
    path = tmp_path_factory.mktemp("transactions") / "template.db"
    store = Store(path)
    main = store.add_key(NewKey("bybit", "Main", "global", ("spot", "deposits")))
    sub = store.add_key(NewKey("bybit", "Bot", "global", ("deposits",), subaccount="bot1"))
    records = [_trade(i) for i in range(MAIN_ROWS)]
    for start in range(0, len(records), 1000):
        store.commit_page(
            main, "spot", "execution_spot", records[start : start + 1000], covered=None, progress=None
        )
    store.commit_page(
        sub,
        "deposits",
        "deposit_onchain",
        [_deposit(i) for i in range(SUB_ROWS)],
        covered=None,
        progress=None,
    )
    store.close()  # the last connection closing checkpoints the WAL into the file
    return path, main, sub


@pytest.fixture
def store(template: tuple[Path, int, int], tmp_path: Path) -> Iterator[Store]:
    """A private copy of the template database (tests may add rows)."""
    path = tmp_path / "test.db"
    shutil.copyfile(template[0], path)
    db = Store(path)
    yield db
    db.close()


@pytest.fixture
def keys(template: tuple[Path, int, int], store: Store) -> tuple[int, int]:
    return template[1], template[2]


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "empty.db")
    yield db
    db.close()


def _times(model: TransactionsModel, rows: int = 5) -> list[int]:
    return [model.transaction(r).timestamp_ms for r in range(min(rows, model.rowCount()))]


def loaded(qtbot: QtBot, model: TransactionsModel) -> TransactionsModel:
    """Wait for the model's query (it runs off the GUI thread)."""
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    return model


def settled(qtbot: QtBot, view: TransactionsView) -> TransactionsView:
    """Wait for the view's rows and count (both read off the GUI thread)."""
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=5000)
    return view


def test_model_loads_one_page_at_a_time(qtbot: QtBot, store: Store, keys: tuple[int, int]) -> None:
    model = TransactionsModel(store)
    assert model.is_loading() and model.rowCount() == 0  # the query runs off the GUI thread
    assert not model.canFetchMore(QModelIndex())  # nothing to page behind yet
    loaded(qtbot, model)
    assert model.rowCount() == PAGE_SIZE == 500
    assert model.columnCount() == 12
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.rowsInserted, timeout=5000):
        model.fetchMore(QModelIndex())
        assert model.is_loading() and not model.canFetchMore(QModelIndex())  # one page at a time
    loaded(qtbot, model)
    assert model.rowCount() == 2 * PAGE_SIZE
    # Newest first by default.
    times = _times(model, 1000)
    assert times == sorted(times, reverse=True)
    assert times[0] == T0 + (MAIN_ROWS - 1) * STEP
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        loaded(qtbot, model)
    assert model.rowCount() == MAIN_ROWS + SUB_ROWS
    # Every row exactly once across the pages (they follow each other by (time, id), not offset).
    assert len({model.transaction(r).id for r in range(model.rowCount())}) == MAIN_ROWS + SUB_ROWS
    times = _times(model, model.rowCount())
    assert times == sorted(times, reverse=True)


def test_a_newer_filter_supersedes_a_running_query(qtbot: QtBot, store: Store, keys: tuple[int, int]) -> None:
    main, sub = keys
    model = loaded(qtbot, TransactionsModel(store))
    model.set_filter(TransactionFilter(key_ids=(main,)))
    model.set_filter(TransactionFilter(key_ids=(sub,)))  # before the first query's rows came
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    loaded(qtbot, model)
    qtbot.wait(50)  # a late result of the first query would arrive by now
    assert resets == [1]
    assert {model.transaction(r).key_id for r in range(model.rowCount())} == {sub}


def test_model_display_and_tooltips(qtbot: QtBot, store: Store, keys: tuple[int, int]) -> None:
    main, _sub = keys
    model = TransactionsModel(store)
    model.set_filter(TransactionFilter(key_ids=(main,), newest_first=False))
    loaded(qtbot, model)
    first = model.index(0, Column.TIME)
    assert model.data(first, Qt.ItemDataRole.ToolTipRole) == "2023-11-14 22:13:20.000 UTC"
    local = QDateTime.fromMSecsSinceEpoch(T0).toString("yyyy-MM-dd HH:mm:ss")
    assert model.data(first) == local
    row = {c: model.data(model.index(0, c)) for c in Column}
    assert row[Column.KEY] == "Main"
    assert row[Column.ENDPOINT] == "Spot trades"
    assert row[Column.KIND] == "Trade"
    assert (row[Column.BASE], row[Column.QUOTE], row[Column.SIDE]) == ("BTC", "USDT", "Sell")
    assert (row[Column.AMOUNT], row[Column.PRICE], row[Column.FEE], row[Column.FEE_CURRENCY]) == (
        "0.01",
        "35000.5",
        "0.00001",
        "BTC",
    )
    assert row[Column.EXCHANGE_ID] == "exec-0"
    assert model.data(model.index(0, Column.AMOUNT), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.transaction(0).exchange_id == "exec-0"
    assert model.headerData(Column.FEE_CURRENCY, Qt.Orientation.Horizontal) == "Fee ccy"
    time_tip = model.headerData(Column.TIME, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert time_tip.startswith("Local time")
    assert model.data(model.index(0, Column.KEY), Qt.ItemDataRole.ToolTipRole) == "Main"
    # Shown, never edited: a double click opens no editor on a cell.
    assert not model.flags(first) & Qt.ItemFlag.ItemIsEditable
    # Every cell is Qt's own object, never one made in Python: painting then never waits for the
    # interpreter's lock (which a query or a sync may hold).
    assert not any(shiboken6.createdByPython(model.item(row, c)) for row in (0, 1) for c in Column)


def test_model_filters_and_sorting(qtbot: QtBot, store: Store, keys: tuple[int, int]) -> None:
    main, sub = keys
    model = TransactionsModel(store)

    model.set_filter(TransactionFilter(key_ids=(sub,)))
    loaded(qtbot, model)
    assert model.rowCount() == PAGE_SIZE
    assert {model.transaction(r).key_id for r in range(model.rowCount())} == {sub}

    model.set_filter(TransactionFilter(kinds=("trade",), asset="eth"))
    loaded(qtbot, model)
    assert model.rowCount() and all(model.transaction(r).base == "ETH" for r in range(model.rowCount()))

    model.set_filter(TransactionFilter(from_ms=T0, to_ms=T0 + 9 * STEP, key_ids=(main,)))
    loaded(qtbot, model)
    assert model.rowCount() == 10 and not model.canFetchMore(QModelIndex())

    model.set_filter(TransactionFilter())
    loaded(qtbot, model)
    newest = _times(model)
    with_reset: list[int] = []
    model.modelReset.connect(lambda: with_reset.append(1))
    model.sort(Column.TIME, Qt.SortOrder.AscendingOrder)
    loaded(qtbot, model)
    assert with_reset == [1]
    oldest = _times(model)
    assert oldest == sorted(oldest) and oldest[0] == T0 and newest[0] > oldest[-1]
    assert model.filter().newest_first is False
    model.sort(Column.KIND, Qt.SortOrder.DescendingOrder)  # only time sorts
    assert not model.is_loading()
    assert _times(model) == oldest and with_reset == [1]
    model.sort(Column.TIME, Qt.SortOrder.DescendingOrder)
    loaded(qtbot, model)
    assert _times(model) == newest


def test_model_passes_qtmodeltester(qtmodeltester, qtbot: QtBot, store: Store, keys: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    model = TransactionsModel(store, page_size=50)
    model.set_filter(TransactionFilter(key_ids=(keys[1],), from_ms=T0, to_ms=T0 + 120 * STEP))
    loaded(qtbot, model)
    qtmodeltester.check(model, force_py=True)
    loaded(qtbot, model)
    qtmodeltester.check(model)
    loaded(qtbot, model)
    model.set_filter(TransactionFilter(asset="NOPE"))
    loaded(qtbot, model)
    qtmodeltester.check(model)


def test_model_on_an_empty_store(qtmodeltester, qtbot: QtBot, empty_store: Store) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, TransactionsModel(empty_store))
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_view_filter_bar_count_and_refresh(qtbot: QtBot, store: Store, keys: tuple[int, int]) -> None:
    main, sub = keys
    view = TransactionsView(store)
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.show()
    qtbot.waitExposed(view)
    table = view.findChild(QTableView, "transactionsTable")
    count = view.findChild(QLabel, "countLabel")
    assert table is not None and count is not None
    model = table.model()
    assert isinstance(model, TransactionsModel)
    busy = view.findChild(QProgressBar, "busyBar")
    assert busy is not None and busy.isVisible() and view.is_busy()  # reading off the GUI thread
    settled(qtbot, view)
    assert not busy.isVisible()
    assert count.text() == f"{QLocale().toString(MAIN_ROWS + SUB_ROWS)} transactions"
    assert model.rowCount() <= 2 * PAGE_SIZE  # only what the view needs to fill itself

    key_combo = view.findChild(QComboBox, "keyCombo")
    assert key_combo is not None
    assert [key_combo.itemText(i) for i in range(key_combo.count())] == ["All keys", "Main", "Bot · bot1"]
    view.set_key_filter(sub)
    assert model.filter().key_ids == (sub,)
    settled(qtbot, view)
    assert count.text() == f"{QLocale().toString(SUB_ROWS)} transactions"
    endpoint_combo = view.findChild(QComboBox, "endpointCombo")
    assert endpoint_combo is not None
    endpoint_combo.setCurrentIndex(endpoint_combo.findData("spot"))
    settled(qtbot, view)
    assert count.text() == "No transactions match these filters."
    endpoint_combo.setCurrentIndex(endpoint_combo.findData("deposits"))

    view.set_key_filter(None)
    assert endpoint_combo.currentData() == "deposits"  # the other filters stay as they were
    endpoint_combo.setCurrentIndex(0)
    kind_combo = view.findChild(QComboBox, "kindCombo")
    assert kind_combo is not None
    kind_combo.setCurrentIndex(kind_combo.findData("trade"))
    asset = view.findChild(QLineEdit, "assetEdit")
    assert asset is not None
    qtbot.keyClicks(asset, "btc")
    qtbot.waitUntil(lambda: model.filter().asset == "BTC", timeout=2000)
    settled(qtbot, view)
    assert count.text() == f"{QLocale().toString(MAIN_ROWS // 2)} transactions"

    # Dates are local calendar days, both ends included.
    first_day = QDateTime.fromMSecsSinceEpoch(T0).date()
    view.from_date.setDate(first_day)
    view.to_date.setDate(first_day)
    assert not view.from_date.isEnabled()
    view.from_check.setChecked(True)
    view.to_check.setChecked(True)
    assert view.from_date.isEnabled()
    assert model.filter().from_ms is None  # both ends' changes make one query, next turn
    qtbot.waitUntil(lambda: model.filter().to_ms is not None, timeout=2000)
    flt = model.filter()
    assert flt.from_ms == QDateTime(first_day, QTime(0, 0)).toMSecsSinceEpoch()
    assert flt.to_ms == QDateTime(first_day.addDays(1), QTime(0, 0)).toMSecsSinceEpoch() - 1
    expected = store.count_transactions(flt)
    assert 0 < expected < MAIN_ROWS // 2
    settled(qtbot, view)
    assert count.text() == (
        "1 transaction" if expected == 1 else f"{QLocale().toString(expected)} transactions"
    )

    # Sorting by clicking the time header; other columns do not sort.
    header = table.horizontalHeader()
    header.setSortIndicator(Column.TIME, Qt.SortOrder.AscendingOrder)
    assert model.filter().newest_first is False
    header.setSortIndicator(Column.AMOUNT, Qt.SortOrder.DescendingOrder)
    assert header.sortIndicatorSection() == Column.TIME and model.filter().newest_first is False

    view.reset_filters()
    assert model.filter() == TransactionFilter(newest_first=False)
    settled(qtbot, view)
    assert count.text() == f"{QLocale().toString(MAIN_ROWS + SUB_ROWS)} transactions"

    # A sync adds rows: refresh() shows them with the same filters.
    view.set_key_filter(sub)
    store.commit_page(
        sub,
        "deposits",
        "deposit_onchain",
        [_deposit(SUB_ROWS + i) for i in range(5)],
        covered=None,
        progress=None,
    )
    settled(qtbot, view)
    view.refresh()
    assert model.filter().key_ids == (sub,)
    settled(qtbot, view)
    assert count.text() == f"{QLocale().toString(SUB_ROWS + 5)} transactions"

    # Copy puts the selected rows on the clipboard as tab-separated text.
    table.selectRow(0)
    view.copy_selection()
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].startswith("Time\tKey\tEndpoint") and len(copied) == 2


def test_view_on_an_empty_store(qtbot: QtBot, empty_store: Store) -> None:
    store = empty_store
    view = TransactionsView(store)
    qtbot.addWidget(view)
    view.show()
    count = view.findChild(QLabel, "countLabel")
    settled(qtbot, view)
    assert count is not None and count.text().startswith("No transactions yet")
    # A key added later can be selected right away.
    key_id = store.add_key(NewKey("bybit", "Later", "global", ("spot",)))
    view.set_key_filter(key_id)
    assert view.key_combo.currentData() == key_id
    assert view.model.filter().key_ids == (key_id,)
    settled(qtbot, view)
    assert count.text() == "No transactions match these filters."


def test_copied_rows_cannot_run_as_spreadsheet_formulas(qtbot: QtBot, empty_store: Store) -> None:
    store = empty_store
    key_id = store.add_key(NewKey("bybit", "=HYPERLINK(1)", "global", ("spot",)))
    record = NormalizedRecord(
        exchange_id="@SUM(A1)",
        timestamp_ms=T0,
        kind=TransactionKind.TRADE,
        base="+CMD",
        quote="USDT",
        side=Side.SELL,
        amount="-0.5",
        price="35000",
        raw={},
    )
    store.commit_page(key_id, "spot", "execution_spot", [record], covered=None, progress=None)
    view = settled(qtbot, TransactionsView(store))
    qtbot.addWidget(view)
    view.table.selectRow(0)
    view.copy_selection()
    header, row = QApplication.clipboard().text().splitlines()
    cells = dict(zip(header.split("\t"), row.split("\t"), strict=True))
    assert cells["Key"] == "'=HYPERLINK(1)" and cells["Base"] == "'+CMD"
    assert cells["Exchange id"] == "'@SUM(A1)"
    assert cells["Amount"] == "-0.5"  # a number stays a number
