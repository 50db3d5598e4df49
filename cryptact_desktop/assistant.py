"""The Assistant's decisions, in plain Python (no Qt): the GUI wizard only renders and collects.

The Assistant mirrors Cryptact's: 1. select your exchanges and/or blockchains, 2. confirm them,
3. upload or sync the transactions of each (an API key, a file, or both), 4. a summary that offers
to sync now. Everything that decides something lives here, so it is tested without a display:
which venues exist and what they support, search, whether a page may be left, each venue's state
in the store, where a new key or file should go (so API rows and file rows of one exchange account
share one account and are stored once), whether to open by itself on a first start, and what a
"Sync now" would sync.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.coverage import is_file_only, suggest_sync_from
from cryptact_desktop.imports.importer import list_imported_files
from cryptact_desktop.state import EndpointStatus, KeyConfig
from cryptact_desktop.store import Store
from cryptact_desktop.venues.base import BLOCKCHAIN, VenueInfo
from cryptact_desktop.venues.registry import venue_infos

DISMISSED_SETTING = "assistant.dismissed"


def _t(text: str) -> str:
    return translate("assistant", text)


# ------------------------------------------------------------------------------------ venues


class Capability(enum.StrEnum):
    API_AND_FILES = "api_and_files"
    API = "api"
    FILES = "files"
    NONE = "none"


_CAPABILITY_LABELS = {
    Capability.API_AND_FILES: "API sync and file upload",
    Capability.API: "API sync",
    Capability.FILES: "File upload only",
    Capability.NONE: "Not supported yet",
}


def capability_label(capability: Capability) -> str:
    return _t(_CAPABILITY_LABELS[capability])


@dataclass(frozen=True, slots=True)
class VenueChoice:
    """An exchange or a blockchain the Assistant can list."""

    id: str
    name: str
    kind: str  # "exchange" or "blockchain"
    supports_api: bool
    supports_files: bool

    @property
    def capability(self) -> Capability:
        if self.supports_api and self.supports_files:
            return Capability.API_AND_FILES
        if self.supports_api:
            return Capability.API
        if self.supports_files:
            return Capability.FILES
        return Capability.NONE

    @property
    def selectable(self) -> bool:
        return self.capability is not Capability.NONE


def venues(catalogue: Iterable[VenueInfo] | None = None) -> tuple[VenueChoice, ...]:
    """Every venue of the catalogue: exchanges first, then blockchains, each by name."""
    items = [
        VenueChoice(info.id, info.name, info.kind, info.supports_api, info.supports_files)
        for info in (venue_infos() if catalogue is None else catalogue)
    ]
    order = {"exchange": 0, "blockchain": 1}
    return tuple(sorted(items, key=lambda v: (order.get(v.kind, 2), v.name.casefold(), v.id)))


def search(items: Sequence[VenueChoice], text: str) -> tuple[VenueChoice, ...]:
    """The venues whose name or id contains ``text`` (case- and space-insensitive)."""
    needle = "".join(text.split()).casefold()
    if not needle:
        return tuple(items)
    return tuple(
        v for v in items if needle in "".join(v.name.split()).casefold() or needle in v.id.casefold()
    )


# ------------------------------------------------------------------------------------ pages


class Page(enum.IntEnum):
    SELECT = 0
    CONFIRM = 1
    TRANSACTIONS = 2
    SUMMARY = 3


@dataclass(frozen=True, slots=True)
class SelectionCheck:
    ok: bool
    message: str = ""


def check_selection(selected: Sequence[str], items: Sequence[VenueChoice]) -> SelectionCheck:
    """At least one venue, every one known and supported (nothing else blocks "Next")."""
    if not selected:
        return SelectionCheck(False, _t("Select at least one exchange or blockchain."))
    known = {v.id: v for v in items}
    for venue_id in selected:
        venue = known.get(venue_id)
        if venue is None:
            return SelectionCheck(False, _t("Unknown exchange: {id}").format(id=venue_id))
        if not venue.selectable:
            return SelectionCheck(
                False, _t("{name} is not supported yet: neither API sync nor files.").format(name=venue.name)
            )
    return SelectionCheck(True)


def normalize_selection(selected: Iterable[str], items: Sequence[VenueChoice]) -> tuple[str, ...]:
    """The selection in list order, without duplicates or unknown ids."""
    wanted = set(selected)
    return tuple(v.id for v in items if v.id in wanted)


def can_advance(page: Page, selected: Sequence[str], items: Sequence[VenueChoice]) -> bool:
    """Whether "Next" (or "Finish" on the summary) is allowed on ``page``.

    The transactions page never blocks: a venue can be left for later, and the summary says so.
    """
    if page in (Page.SELECT, Page.CONFIRM):
        return check_selection(selected, items).ok
    return True


def next_page(page: Page, selected: Sequence[str], items: Sequence[VenueChoice]) -> Page | None:
    """The page after ``page`` (None: the wizard ends), or ``page`` itself when it may not be left."""
    if not can_advance(page, selected, items):
        return page
    if page is Page.SUMMARY:
        return None
    return Page(page + 1)


# ------------------------------------------------------------------------------------ venue state


class VenueState(enum.StrEnum):
    NOTHING = "nothing"
    KEY_ADDED = "key_added"
    KEY_FAILED = "key_failed"  # a key was added but its last sync failed: never shown as done
    FILE_IMPORTED = "file_imported"
    KEY_AND_FILE = "key_and_file"


_STATE_LABELS = {
    VenueState.NOTHING: "Nothing yet",
    VenueState.KEY_ADDED: "API key added",
    VenueState.KEY_FAILED: "API key added, but its sync failed: see the key in the main window",
    VenueState.FILE_IMPORTED: "File imported",
    VenueState.KEY_AND_FILE: "API key added and file imported",
}


def state_label(state: VenueState) -> str:
    return _t(_STATE_LABELS[state])


@dataclass(frozen=True, slots=True)
class AccountInfo:
    id: int
    label: str
    file_only: bool
    files: int
    records: int
    enabled_endpoints: tuple[str, ...]
    paused: bool
    failed: bool = False  # its last sync failed on some endpoint


@dataclass(frozen=True, slots=True)
class VenueStatus:
    venue: VenueChoice
    accounts: tuple[AccountInfo, ...]

    @property
    def api_accounts(self) -> tuple[AccountInfo, ...]:
        return tuple(a for a in self.accounts if not a.file_only)

    @property
    def file_only_accounts(self) -> tuple[AccountInfo, ...]:
        return tuple(a for a in self.accounts if a.file_only)

    @property
    def has_key(self) -> bool:
        return bool(self.api_accounts)

    @property
    def has_files(self) -> bool:
        return any(a.files for a in self.accounts)

    @property
    def state(self) -> VenueState:
        if any(a.failed for a in self.api_accounts):
            return VenueState.KEY_FAILED
        if self.has_key and self.has_files:
            return VenueState.KEY_AND_FILE
        if self.has_key:
            return VenueState.KEY_ADDED
        if self.has_files:
            return VenueState.FILE_IMPORTED
        return VenueState.NOTHING

    def describe(self) -> str:
        """One line for the venue's card: its state and how many accounts, files and records."""
        keys, files = len(self.api_accounts), sum(a.files for a in self.accounts)
        records = sum(a.records for a in self.accounts)
        wallet = self.venue.kind == BLOCKCHAIN
        if self.state is VenueState.NOTHING:
            return state_label(self.state)
        parts = []
        if keys and wallet:
            return _t("Wallet added — {count} wallet(s), {records} records").format(
                count=keys, records=records
            )
        if keys:
            parts.append(_t("{count} API key(s)").format(count=keys))
        if files:
            parts.append(_t("{count} file(s)").format(count=files))
        parts.append(_t("{count} records").format(count=records))
        return _t("{state} — {details}").format(state=state_label(self.state), details=", ".join(parts))


def _account_info(store: Store, key: KeyConfig) -> AccountInfo:
    return AccountInfo(
        id=key.id,
        label=key.label,
        file_only=is_file_only(key.host_id),
        files=len(list_imported_files(store, key.id)),
        records=key.record_count,
        enabled_endpoints=key.enabled_endpoints,
        paused=key.paused,
        failed=any(e.enabled and e.status is EndpointStatus.FAILED for e in key.endpoints),
    )


def venue_statuses(
    store: Store, selected: Sequence[str], items: Sequence[VenueChoice]
) -> tuple[VenueStatus, ...]:
    """The state of each selected venue, from the store (in the order of ``selected``)."""
    known = {v.id: v for v in items}
    keys = store.list_keys()
    result: list[VenueStatus] = []
    for venue_id in selected:
        venue = known.get(venue_id)
        if venue is None:
            continue
        accounts = tuple(_account_info(store, k) for k in keys if k.exchange == venue_id)
        result.append(VenueStatus(venue, accounts))
    return tuple(result)


def venue_status(store: Store, venue: VenueChoice) -> VenueStatus:
    return venue_statuses(store, (venue.id,), (venue,))[0]


# ------------------------------------------------------------------------------------ where keys and files go


class KeyAction(enum.StrEnum):
    NEW = "new"  # a new API key (the key dialog, pre-set to the venue)
    ATTACH = "attach"  # attach the key to the venue's file-only account (its files and the API share it)


@dataclass(frozen=True, slots=True)
class KeyPlan:
    action: KeyAction
    account_id: int | None = None
    suggested_sync_from_ms: int | None = None


def suggested_sync_from(store: Store, account_id: int) -> int | None:
    """Where an API sync of ``account_id`` could start: just after its files' newest row.

    Over the endpoints its files cover, the earliest of the per-endpoint suggestions, so no
    endpoint is left with a gap (an overlap is harmless: each record is stored once).
    """
    key = store.get_key(account_id)
    found = [suggest_sync_from(store, account_id, e.endpoint) for e in key.endpoints]
    values = [v for v in found if v is not None]
    return min(values) if values else None


def key_plan(store: Store, status: VenueStatus) -> KeyPlan:
    """What "Add API key" does for a venue: attach to its file-only account when it has one (one
    account per exchange account, so its file rows and API rows are each stored once), or add a
    new key."""
    file_only = status.file_only_accounts
    if file_only and not status.has_key:
        account = file_only[0]
        return KeyPlan(KeyAction.ATTACH, account.id, suggested_sync_from(store, account.id))
    return KeyPlan(KeyAction.NEW)


def matching_target(targets: tuple[ImportTarget, ...], file_uid: str) -> int | None:
    """The account whose exchange UID is the file's (None when the file names none or no account
    matches): a file goes into its own account by default, not the venue's first key."""
    if not file_uid:
        return None
    return next((t.account_id for t in targets if t.exchange_user_id == file_uid), None)


def upload_target(status: VenueStatus) -> int | None:
    """The account an uploaded file goes into by default: the venue's API key if it has one, else
    its file-only account, else None (the import creates a file-only account)."""
    if status.api_accounts:
        return status.api_accounts[0].id
    if status.file_only_accounts:
        return status.file_only_accounts[0].id
    return None


@dataclass(frozen=True, slots=True)
class ImportTarget:
    """A choice in the import dialog's "Import into" list; ``account_id`` None = a new account."""

    account_id: int | None
    label: str
    file_only: bool
    exchange_user_id: str = ""  # the exchange account (UID) the key or its files belong to


def import_targets(store: Store, exchange: str) -> tuple[ImportTarget, ...]:
    """The exchange's accounts (API keys first), then "a new file-only account"."""
    keys = [k for k in store.list_keys() if k.exchange == exchange]
    keys.sort(key=lambda k: (is_file_only(k.host_id), k.id))
    targets = []
    for k in keys:
        account = store.import_account(k.id)
        targets.append(
            ImportTarget(
                k.id,
                _t("{label} (files only)").format(label=k.label)
                if is_file_only(k.host_id) and "(" not in k.label
                else k.label,
                is_file_only(k.host_id),
                account.exchange_user_id if account is not None else "",
            )
        )
    targets.append(ImportTarget(None, _t("A new account for files only"), True))
    return tuple(targets)


def default_time_zone(exchange: str, zone_from_file: str | None) -> str:
    """The zone to read times in when the file's header does not name one: UTC (the exports read
    so far are in UTC; a venue whose files are not says so in its file format)."""
    if zone_from_file:
        return zone_from_file
    return "UTC"


# ------------------------------------------------------------------------------------ first start


def should_auto_open(store: Store) -> bool:
    """Open the Assistant by itself: on a start with no keys or accounts, unless dismissed for good."""
    if store.setting(DISMISSED_SETTING) == "1":
        return False
    return not store.list_keys()


def dismiss_for_good(store: Store, dismissed: bool = True) -> None:
    store.set_setting(DISMISSED_SETTING, "1" if dismissed else "")


# ------------------------------------------------------------------------------------ summary


@dataclass(frozen=True, slots=True)
class SummaryLine:
    venue_id: str
    venue_name: str
    account_id: int | None
    account_label: str
    text: str
    will_sync: bool


@dataclass(frozen=True, slots=True)
class Summary:
    lines: tuple[SummaryLine, ...]

    @property
    def sync_key_ids(self) -> tuple[int, ...]:
        return tuple(line.account_id for line in self.lines if line.will_sync and line.account_id is not None)

    @property
    def can_sync_now(self) -> bool:
        return bool(self.sync_key_ids)


def summary(store: Store, statuses: Sequence[VenueStatus]) -> Summary:
    """Per venue and account: what "Sync now" fetches, what is there from files, what is missing."""
    lines: list[SummaryLine] = []
    for status in statuses:
        venue = status.venue
        if not status.accounts:
            later = (
                _t("Nothing added yet: add a wallet address later with “+”.")
                if venue.kind == BLOCKCHAIN
                else _t("Nothing added yet: add an API key or upload a file later with “+”.")
            )
            lines.append(SummaryLine(venue.id, venue.name, None, "", later, False))
            continue
        for account in status.accounts:
            if account.file_only:
                text = _t("{files} file(s), {records} records from files; no API key to sync.").format(
                    files=account.files, records=account.records
                )
                lines.append(SummaryLine(venue.id, venue.name, account.id, account.label, text, False))
                continue
            if account.paused or not account.enabled_endpoints:
                text = _t("Paused: not synced now.")
                lines.append(SummaryLine(venue.id, venue.name, account.id, account.label, text, False))
                continue
            text = _t("Will sync {count} endpoint(s): {names}.").format(
                count=len(account.enabled_endpoints), names=", ".join(_endpoint_names(venue.id, account))
            )
            if account.files:
                text += " " + _t("{files} file(s) imported: each record is kept once.").format(
                    files=account.files
                )
            lines.append(SummaryLine(venue.id, venue.name, account.id, account.label, text, True))
    return Summary(tuple(lines))


def _endpoint_names(exchange_id: str, account: AccountInfo) -> list[str]:
    info = next((e for e in venue_infos() if e.id == exchange_id), None)
    names: list[str] = []
    for endpoint in account.enabled_endpoints:
        try:
            names.append(info.endpoint(endpoint).display_name() if info else endpoint)
        except KeyError:
            names.append(endpoint)
    return names


__all__ = [
    "DISMISSED_SETTING",
    "AccountInfo",
    "Capability",
    "ImportTarget",
    "KeyAction",
    "KeyPlan",
    "Page",
    "SelectionCheck",
    "Summary",
    "SummaryLine",
    "VenueChoice",
    "VenueState",
    "VenueStatus",
    "can_advance",
    "capability_label",
    "check_selection",
    "default_time_zone",
    "dismiss_for_good",
    "import_targets",
    "key_plan",
    "next_page",
    "normalize_selection",
    "search",
    "should_auto_open",
    "state_label",
    "suggested_sync_from",
    "summary",
    "upload_target",
    "venue_status",
    "venue_statuses",
    "venues",
]
