"""Offline check-in: the rules that settle what door devices send (duplicates, undo, walk-ins,
answers given offline), the list a device holds, and the endpoints that carry both."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest

from fagkonferanse.accounts.models import Organiser
from fagkonferanse.checkin import doorlist, doorsync
from fagkonferanse.checkin.models import CheckIn, DoorScan
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import services as registrations
from fagkonferanse.registration.models import CANCELLED, CONFIRMED, WAITING, Registration

from ..conftest import csrf_token
from .conftest import configure, outbox, people

NOW = dt.datetime(2016, 11, 9, 8, 30)
A = doorsync.Device("device-a-0001", "Dør A")
B = doorsync.Device("device-b-0002", "Dør B")
_seq = itertools.count()


def minute(value: int) -> dt.datetime:
    return NOW + dt.timedelta(minutes=value)


def action(kind: str = "checkin", at: int = 0, shown: str = "checked_in", **values) -> doorsync.Action:
    """A queued action as a device makes it (``at``: minutes after 08.30)."""
    values.setdefault("scan_id", uuid.uuid4().hex)
    return doorsync.Action(kind=kind, seq=next(_seq), at=minute(at), shown=shown, **values)


@pytest.fixture
def door(app, organiser):
    """A request context on the current event with the organiser at the door."""
    with app.test_request_context("/admin/checkin"):
        event = current_event()
        dora = db.session.scalar(db.select(Organiser))

        class Door:
            def add(self, name: str, email: str | None = None, **details) -> Registration:
                email = email if email is not None else f"{name.split()[0].lower()}@example.no"
                outcome = registrations.register(event, {"name": name, "email": email, **details}, notify=False)
                return outcome.registration

            def send(self, device: doorsync.Device, *actions: doorsync.Action) -> list[doorsync.Applied]:
                return doorsync.apply_batch(event, device, list(actions), dora)

            def scans(self) -> list[DoorScan]:
                return db.session.scalars(db.select(DoorScan).order_by(DoorScan.id)).all()

        yield Door()


def scan_of(person: Registration, **values) -> doorsync.Action:
    return action(text=person.door_code, **values)


# --- One device -------------------------------------------------------------------------------


def test_an_offline_check_in_is_recorded_at_the_time_of_the_scan_and_a_repeat_send_changes_nothing(door):
    kari = door.add("Kari Nordmann")
    queued = scan_of(kari, at=5)
    [first] = door.send(A, queued)
    assert (first.result.state, first.scan.flag) == ("checked_in", "")
    assert kari.checkin.at == minute(5) and kari.checkin.organiser_name == "Ola Arrangør"
    [again] = door.send(A, queued)  # the answer was lost on the way: the device sends it again
    assert again.replayed and again.result.state == "checked_in"
    assert len(door.scans()) == 1 and db.session.scalar(db.select(db.func.count(CheckIn.id))) == 1


@pytest.mark.parametrize("typed", ["{code}", "{dashed}", "{lower}", "{spaced}", "{qr}", "{long_grouped}"])
def test_every_way_the_door_reads_a_code_works_in_a_queued_scan(door, typed):
    kari = door.add("Kari Nordmann")
    code, long = kari.door_code, kari.checkin_code
    text = typed.format(code=code, dashed=f"{code[:4]}-{code[4:]}", lower=code.lower(),
                        spaced=f"{code[:4]} {code[4:]}", qr=f"https://konferanse.example.no/c/{long}",
                        long_grouped=" ".join(long[i:i + 4] for i in range(0, 32, 4)))
    [applied] = door.send(A, action(text=text))
    assert applied.result.state == "checked_in" and applied.scan.registration_id == kari.id


def test_a_mistyped_door_code_is_refused_by_its_check_character(door):
    kari = door.add("Kari Nordmann")
    wrong = kari.door_code[:3] + ("2" if kari.door_code[3] != "2" else "3") + kari.door_code[4:]
    [applied] = door.send(A, action(text=wrong, shown="mistyped"))
    assert (applied.result.state, applied.scan.flag) == ("mistyped", "")
    assert kari.checkin is None


def test_the_device_order_wins_over_its_clock(door):
    """An undo follows its check-in even if the device's clock went back in between."""
    kari = door.add("Kari Nordmann")
    check = scan_of(kari, at=10)
    undo = action("undo", at=2, shown="", undoes=check.scan_id)
    door.send(A, undo, check)  # listed in any order: seq is the device's own order
    assert kari.checkin is None
    assert [scan.outcome for scan in door.scans()] == ["checked_in", "undone"]


def test_a_second_green_scan_on_the_same_device_is_not_a_duplicate(door):
    kari = door.add("Kari Nordmann")
    door.send(A, scan_of(kari, at=1), scan_of(kari, at=2))
    assert [(scan.outcome, scan.flag) for scan in door.scans()] == [("checked_in", ""), ("already", "")]


def test_an_online_scan_of_someone_already_in_is_answered_not_flagged(door):
    kari = door.add("Kari Nordmann")
    door.send(A, scan_of(kari, at=1))
    [applied] = door.send(B, scan_of(kari, at=2, shown=""))  # the door waited: it showed "already"
    assert (applied.result.state, applied.scan.flag) == ("already", "")


# --- Two devices offline ----------------------------------------------------------------------


@pytest.mark.parametrize("first_to_sync", ["A", "B"])
def test_the_same_person_on_two_offline_devices_is_checked_in_once_whoever_syncs_first(door, first_to_sync):
    kari = door.add("Kari Nordmann")
    on_a, on_b = scan_of(kari, at=3), scan_of(kari, at=7)  # A saw her first
    batches = [(A, on_a), (B, on_b)]
    for device, queued in batches if first_to_sync == "A" else reversed(batches):
        door.send(device, queued)
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 1
    assert (kari.checkin.at, kari.checkin.organiser_name) == (minute(3), "Ola Arrangør")
    holder, duplicate = sorted(door.scans(), key=lambda scan: scan.device_id)
    assert (holder.device_name, holder.outcome, holder.flag, holder.checkin_id) == ("Dør A", "checked_in", "",
                                                                                     kari.checkin.id)
    assert (duplicate.device_name, duplicate.outcome, duplicate.flag, duplicate.checkin_id) == (
        "Dør B", "duplicate", "duplicate", None)
    assert duplicate.scanned_at == minute(7)


def test_a_device_syncing_in_the_middle_of_another_devices_request_is_not_undone_by_it(app, door, monkeypatch):
    """B's check-in is committed; before B's request ends, A sends its earlier scan of the same
    person and takes the check-in over. B's request must not write its scan back as the holder."""
    from fagkonferanse.checkin import services

    kari = door.add("Kari Nordmann")
    on_a, on_b = scan_of(kari, at=1), scan_of(kari, at=5)
    check_in = services.check_in

    def check_in_while_a_syncs(*args, **kwargs):
        result = check_in(*args, **kwargs)
        monkeypatch.setattr(services, "check_in", check_in)
        with app.app_context():  # another request: its own session and connection
            doorsync.apply_batch(current_event(), A, [on_a], db.session.scalar(db.select(Organiser)))
        return result

    monkeypatch.setattr(services, "check_in", check_in_while_a_syncs)
    door.send(B, on_b)
    db.session.expire_all()
    outcomes = {scan.device_name: (scan.outcome, scan.flag, scan.checkin_id) for scan in door.scans()}
    assert outcomes == {"Dør A": ("checked_in", "", kari.checkin.id), "Dør B": ("duplicate", "duplicate", None)}
    assert kari.checkin.at == minute(1)


def test_a_device_clock_that_is_wrong_is_set_right_by_its_offset():
    """A phone whose clock is an hour behind reports it with every send: its scans land on the
    server's clock."""
    now = dt.datetime(2016, 11, 9, 9, 0)
    behind = doorlist.epoch_ms(now - dt.timedelta(hours=1))
    payload = {"device": {"id": "device-a-0001", "name": " Dør A "}, "sent_at": behind,
               "actions": [{"scan_id": "scan-0000001", "action": "checkin", "seq": 1, "text": "x",
                            "at": behind - 120_000, "shown": "checked_in"},
                           {"scan_id": "scan-0000002", "action": "checkin", "seq": 2, "text": "x",
                            "at": behind + 3_600_000, "shown": ""}]}
    device, actions = doorsync.parse_batch(payload, now)
    assert device == doorsync.Device("device-a-0001", "Dør A")
    assert [item.at for item in actions] == [now - dt.timedelta(minutes=2), now]  # never in the future


@pytest.mark.parametrize("payload", [
    None, [], {"device": {"id": "short"}, "sent_at": 1, "actions": []},
    {"device": {"id": "device-a-0001"}, "sent_at": "now", "actions": []},
    {"device": {"id": "device-a-0001"}, "sent_at": 1, "actions": [{"scan_id": "scan-0000001", "action": "delete", "at": 1}]},
    {"device": {"id": "device-a-0001"}, "sent_at": 1, "actions": [{"scan_id": "scan-0000001", "action": "undo", "at": 1}]},
    {"device": {"id": "device-a-0001"}, "sent_at": 1, "actions": [{"scan_id": "scan-0000001", "action": "checkin", "at": 1, "shown": "green"}]},
    {"device": {"id": "device-a-0001"}, "sent_at": 1, "actions": [{"scan_id": "x" * 65, "action": "checkin", "at": 1}]},
    {"device": {"id": "device-a-0001"}, "sent_at": 1, "actions": [{"scan_id": "scan-000000"}] * 201},
], ids=["not-json", "a-list", "short-device-id", "sent-at-text", "unknown-action", "undo-of-nothing",
        "unknown-shown", "long-scan-id", "too-many"])
def test_a_malformed_batch_is_refused_whole(payload):
    with pytest.raises(doorsync.BadBatch):
        doorsync.parse_batch(payload, NOW)


def test_undo_takes_back_only_the_devices_own_check_in(door):
    kari = door.add("Kari Nordmann")
    on_a = scan_of(kari, at=1)
    door.send(A, on_a)
    [foreign] = door.send(B, action("undo", at=2, shown="", undoes=on_a.scan_id))
    assert foreign.result.state == "undone" and kari.checkin is not None  # B cannot undo A's check-in
    door.send(A, action("undo", at=3, shown="", undoes=on_a.scan_id))
    db.session.refresh(kari)
    assert kari.checkin is None


def test_undoing_the_check_in_that_counts_lets_the_other_devices_scan_count(door):
    """Both doors admitted Kari; A's was a mistake and is undone: she is still in, by B's scan."""
    kari = door.add("Kari Nordmann")
    on_a, on_b = scan_of(kari, at=1), scan_of(kari, at=4)
    door.send(A, on_a)
    door.send(B, on_b)
    door.send(A, action("undo", at=5, shown="", undoes=on_a.scan_id))
    db.session.refresh(kari)
    assert kari.checkin.at == minute(4)
    by_device = {scan.scan_id: scan for scan in door.scans()}
    assert (by_device[on_b.scan_id].outcome, by_device[on_b.scan_id].flag) == ("checked_in", "")
    assert by_device[on_b.scan_id].checkin_id == kari.checkin.id
    assert by_device[on_a.scan_id].undone_at is not None


def test_the_after_checkin_hook_runs_once_for_a_synced_check_in(app, door):
    calls = []

    class Spy:
        @staticmethod
        def after_checkin(checkin):
            calls.append(checkin.registration_id)

    from fagkonferanse import hookimpl

    Spy.after_checkin = hookimpl(Spy.after_checkin)
    app.extensions["fagkonferanse.plugins"].register(Spy, name="spy")
    kari = door.add("Kari Nordmann")
    door.send(A, scan_of(kari, at=1))
    door.send(B, scan_of(kari, at=0))  # earlier, on another device: takes over, no second check-in
    assert calls == [kari.id]


# --- Answers given offline that the server would not have given ---------------------------------


def test_a_code_unknown_offline_is_checked_again_and_flagged_when_it_belongs_to_someone(door):
    """The device's list did not have a person who registered a minute ago: the door said
    "unknown"; the server does not check them in behind the door's back, it flags it."""
    newcomer = door.add("Nils Nykommer")
    [applied] = door.send(A, scan_of(newcomer, shown="unknown"))
    assert (applied.scan.outcome, applied.scan.flag, newcomer.checkin) == ("unknown", "differs", None)
    [made_up] = door.send(A, action(text="ikke en kode", shown="unknown"))
    assert (made_up.scan.outcome, made_up.scan.flag) == ("unknown", "")


@pytest.mark.parametrize("status", [CANCELLED, WAITING])
def test_admitted_offline_but_cancelled_or_waiting_on_the_server_is_flagged_not_checked_in(door, status):
    kari = door.add("Kari Nordmann")
    kari.status = status
    db.session.commit()
    [applied] = door.send(A, scan_of(kari))
    assert (applied.scan.outcome, applied.scan.flag, kari.checkin) == (status, "differs", None)


# --- Walk-ins ---------------------------------------------------------------------------------


def walk_in(at: int = 0, shown: str = "checked_in", **fields) -> doorsync.Action:
    values = {"walkin-name": "Ny Person", "walkin-email": "ny@example.no", "walkin-consent": "y", **fields}
    return action("walk-in", at=at, shown=shown, fields=tuple((k, v) for k, v in values.items() if v is not None))


def test_a_walk_in_registered_offline_is_registered_and_checked_in_at_sync(app, door):
    configure(app, capacity=0)
    [applied] = door.send(A, walk_in(at=9, **{"walkin-organisation": "Hvaler kommune"}))
    person = applied.scan.registration
    assert (person.name, person.organisation, person.status, person.source) == ("Ny Person", "Hvaler kommune",
                                                                                CONFIRMED, "walk-in")
    assert (applied.result.state, person.checkin.at, person.checkin.method) == ("checked_in", minute(9), "walk-in")
    assert outbox(app)[-1]["To"] == "Ny Person <ny@example.no>"  # their ticket link, to see or delete their data


def test_an_offline_walk_in_with_a_registered_address_is_merged_and_flagged(door):
    waiting = door.add("Kari Nordmann", "kari@example.no")
    waiting.status = WAITING
    db.session.commit()
    [applied] = door.send(A, walk_in(at=2, **{"walkin-name": "Kari N.", "walkin-email": "KARI@example.no",
                                             "walkin-organisation": "Moss kommune"}))
    assert applied.scan.registration_id == waiting.id and applied.scan.flag == "merged"
    db.session.refresh(waiting)
    assert (waiting.name, waiting.organisation, waiting.status) == ("Kari Nordmann", "Moss kommune", CONFIRMED)
    assert waiting.checkin.at == minute(2)
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1


def test_an_online_walk_in_with_a_registered_address_is_told_as_the_form_tells_it(door):
    kari = door.add("Kari Nordmann", "kari@example.no")
    [applied] = door.send(A, walk_in(shown="", **{"walkin-email": "kari@example.no"}))
    assert (applied.result.state, applied.scan.flag, kari.checkin) == ("existing", "", None)


def test_a_walk_in_the_form_refuses(door):
    """Online the desk gets the form's messages; offline (already admitted) the person is
    registered without the field that failed, and flagged."""
    [online] = door.send(A, walk_in(shown="", **{"walkin-email": "ikke-en-adresse"}))
    assert online.result.state == "invalid" and list(online.errors) == ["email"]
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0
    [offline] = door.send(A, walk_in(**{"walkin-email": "ikke-en-adresse"}))
    assert (offline.scan.registration.name, offline.scan.registration.email) == ("Ny Person", None)
    assert (offline.result.state, offline.scan.flag) == ("checked_in", "differs")
    [nameless] = door.send(A, walk_in(shown="", **{"walkin-name": ""}))
    assert nameless.result.state == "invalid" and "name" in nameless.errors


def test_undo_of_an_offline_walk_in_keeps_the_registration(door):
    registered = walk_in(at=1)
    door.send(A, registered, action("undo", at=2, shown="", undoes=registered.scan_id))
    [person] = db.session.scalars(db.select(Registration)).all()
    assert person.name == "Ny Person" and person.checkin is None


# --- The list a device holds ------------------------------------------------------------------


def test_the_list_holds_what_the_door_needs_and_no_more(door):
    kari = door.add("Kari Nordmann", organisation="Moss kommune", accessibility="Rullestol",
                    dietary="Vegetar", municipality="Moss")
    door.send(A, scan_of(kari, at=4))
    answer = doorlist.door_list(current_event())
    assert answer.full and answer.counts == {"people": 1, "checked_in": 1}
    assert answer.people == [{
        "id": kari.id, "name": "Kari Nordmann", "organisation": "Moss kommune", "status": CONFIRMED,
        "door_code": kari.door_code, "code": kari.checkin_code, "note": "Rullestol",
        "checked_in_at": doorlist.epoch_ms(minute(4)), "checked_in_by": "Ola Arrangør"}]


def test_what_changed_since_the_cursor(door):
    kari, nils = door.add("Kari Nordmann"), door.add("Nils Nilsen")
    an_hour_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1)
    db.session.execute(db.update(Registration).values(updated_at=an_hour_ago))
    db.session.commit()
    cursor = doorlist.make_cursor(current_event(), an_hour_ago + dt.timedelta(minutes=30))
    assert doorlist.door_list(current_event(), cursor).people == []  # nothing happened since
    door.send(B, scan_of(kari, at=1))  # a check-in from another device: an old scan, sent now
    per = door.add("Per Persen")  # a new registration
    registrations.cancel(nils)  # a cancellation
    changes = doorlist.door_list(current_event(), cursor)
    assert not changes.full
    assert {person["name"]: (person["status"], bool(person["checked_in_at"])) for person in changes.people} == {
        "Kari Nordmann": (CONFIRMED, True), "Per Persen": (CONFIRMED, False), "Nils Nilsen": (CANCELLED, False)}
    assert per.id in {person["id"] for person in changes.people}
    assert doorlist.read_cursor(current_event(), changes.cursor) > an_hour_ago


def test_a_deletion_shows_in_the_counts_a_device_checks_its_copy_against(door):
    kari, nils = door.add("Kari Nordmann"), door.add("Nils Nilsen")
    door.send(A, scan_of(kari))
    before = doorlist.door_list(current_event())
    registrations.delete_person(nils)
    after = doorlist.door_list(current_event(), before.cursor)
    assert after.counts == {"people": 1, "checked_in": 1} and before.counts == {"people": 2, "checked_in": 1}


@pytest.mark.parametrize("cursor", [None, "", "garbage", "999:2016-11-09T08:30:00", "{event}:yesterday"])
def test_a_cursor_of_another_event_or_none_gives_the_whole_list(door, cursor):
    door.add("Kari Nordmann")
    cursor = cursor.format(event=current_event().id) if cursor else cursor
    answer = doorlist.door_list(current_event(), cursor)
    assert answer.full and len(answer.people) == 1


# --- The endpoints ----------------------------------------------------------------------------


def sync(client, token: str, actions: list[dict], device: str = "device-a-0001", **extra):
    body = {"device": {"id": device, "name": "Dør A"}, "sent_at": doorlist.epoch_ms(dt.datetime.now(dt.UTC)
                                                                                      .replace(tzinfo=None)),
            "actions": actions, **extra}
    return client.post("/admin/checkin/sync", json=body, headers={"X-CSRFToken": token, "Accept": "application/json"})


def test_the_device_endpoints_need_a_logged_in_organiser_and_the_csrf_token(app, client, admin_client):
    for path in ("/admin/checkin/people.json", "/admin/checkin/shell", "/admin/checkin/sw.js",
                 "/admin/checkin/manifest.webmanifest"):
        assert client.get(path, headers={"Accept": "application/json"}).status_code == 401, path
    assert client.post("/admin/checkin/sync", json={}).status_code == 401
    refused = admin_client.post("/admin/checkin/sync", json={"device": {"id": "device-a-0001"}, "sent_at": 1,
                                                              "actions": []})
    assert refused.status_code == 400  # no CSRF token
    token = admin_client.get("/admin/checkin/people.json").get_json()["csrf_token"]
    assert sync(admin_client, token, []).get_json()["results"] == []


def test_a_scan_through_the_sync_endpoint(app, admin_client):
    with app.app_context():
        kari = registrations.register(current_event(), {"name": "Kari Nordmann", "email": "kari@example.no"},
                                      notify=False).registration
        code, kari_id = kari.door_code, kari.id
    listing = admin_client.get("/admin/checkin/people.json")
    assert listing.headers["Cache-Control"] == "no-store"
    data = listing.get_json()
    assert data["full"] and [person["name"] for person in data["people"]] == ["Kari Nordmann"]
    assert "kari@example.no" not in listing.get_data(as_text=True)
    assert data["session_ends_at"] > data["server_now"]
    at = data["server_now"] - 60_000
    waited = {"scan_id": "scan-waited-1", "action": "checkin", "seq": 1, "at": at, "shown": "",
              "text": code.lower()}
    answer = sync(admin_client, data["csrf_token"], [waited]).get_json()
    [result] = answer["results"]
    assert (result["state"], result["flag"], result["person"]["id"]) == ("checked_in", "", kari_id)
    assert result["person"]["checked_in_at"] is not None
    assert "door-checked_in" in result["html"] and "Kari Nordmann" in result["html"]  # as the page renders it
    assert answer["counters"]["checked_in"] == 1
    again = sync(admin_client, data["csrf_token"], [waited]).get_json()["results"][0]
    assert again["state"] == "checked_in" and "html" not in again
    bad = sync(admin_client, data["csrf_token"], [{"scan_id": "scan-bad-1", "action": "explode", "at": at}])
    assert bad.status_code == 400 and "action" in bad.get_json()["error"]


def test_the_service_worker_and_manifest_make_the_door_installable(admin_client):
    worker = admin_client.get("/admin/checkin/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/admin/checkin"
    manifest = admin_client.get("/admin/checkin/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.get_json(force=True)
    assert (data["start_url"], data["scope"], data["display"], data["short_name"]) == (
        "/admin/checkin", "/admin/checkin", "standalone", "Innsjekking")
    for icon in data["icons"]:
        with admin_client.get(icon["src"]) as response:
            assert response.status_code == 200 and response.mimetype == "image/png", icon
    page = admin_client.get("/admin/checkin").get_data(as_text=True)
    assert '<link rel="manifest" href="/admin/checkin/manifest.webmanifest" crossorigin="use-credentials">' in page


def test_the_shell_is_the_door_page_without_messages_answers_or_results(app, admin_client):
    token = csrf_token(admin_client, "/admin/checkin")
    admin_client.post("/admin/checkin/999999/undo", data={"csrf_token": token})  # leaves a message
    shell = admin_client.get("/admin/checkin/shell?q=Kari").get_data(as_text=True)
    assert 'id="scan-form"' in shell and "allerede angret" not in shell and "treff på «Kari»" not in shell
    assert "allerede angret" in admin_client.get("/admin/checkin").get_data(as_text=True)  # still there


# --- The dashboard ----------------------------------------------------------------------------


def test_flagged_scans_are_on_the_dashboard_until_marked_seen(app, admin_client):
    with app.test_request_context():
        event = current_event()
        kari = registrations.register(event, {"name": "Kari Nordmann", "email": "kari@example.no"},
                                      notify=False).registration
        dora = db.session.scalar(db.select(Organiser))
        doorsync.apply_batch(event, A, [scan_of(kari, at=1)], dora)
        doorsync.apply_batch(event, B, [scan_of(kari, at=2)], dora)
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Avvik fra døra" in page and "Kari Nordmann" in page
    assert "Sluppet inn uten nett, men personen var allerede sjekket inn." in page
    assert "Dør B" in page and "Dør A" in page  # which device let her in again, and which counts
    assert "kl. 09.32" in page  # the duplicate's time, in the event's time zone
    token = csrf_token(admin_client, "/admin/")
    seen = admin_client.post("/admin/checkin/flags/seen", data={"csrf_token": token, "all": "1"},
                             follow_redirects=True).get_data(as_text=True)
    assert "1 avvik fra døra er merket som sett." in seen and "Avvik fra døra" not in seen.split("</h1>")[1]
    with app.app_context():
        assert db.session.scalar(db.select(DoorScan.seen_by).where(DoorScan.flag == "duplicate")) == "Ola Arrangør"
    assert people(app)[0].name == "Kari Nordmann"
