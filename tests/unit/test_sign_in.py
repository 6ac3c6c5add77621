"""Sign-in: throttled per user and per client, and no username oracle (issue 12, item 8)."""

from __future__ import annotations

import hashlib

import pytest

from dashboard.domain import auth


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: FakeClock, limit: int = 3) -> auth.Throttle:
    return auth.Throttle(limit=limit, window=60, lockout=300, clock=clock)


# Each step: (seconds later, "fail" | "ok" | None for just looking, expected wait afterwards).
@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([(0, "fail", 0), (1, "fail", 0)], id="below the limit"),
        pytest.param([(0, "fail", 0), (1, "fail", 0), (1, "fail", 300)], id="limit locks"),
        pytest.param(
            [(0, "fail", 0), (1, "fail", 0), (1, "fail", 300), (100, None, 200), (199, None, 1)],
            id="lock counts down",
        ),
        pytest.param(
            [(0, "fail", 0), (1, "fail", 0), (1, "fail", 300), (300, None, 0), (0, "fail", 0)],
            id="after the lock-out a fresh count",
        ),
        pytest.param(
            [(0, "fail", 0), (59, "fail", 0), (2, "fail", 0)],
            id="failures outside the window do not count",
        ),
        pytest.param(
            [(0, "fail", 0), (1, "fail", 0), (1, "ok", 0), (1, "fail", 0), (1, "fail", 0)],
            id="a success resets the count",
        ),
    ],
)
def test_throttle(steps):
    clock = FakeClock()
    t = throttle(clock)
    for later, action, wait in steps:
        clock.now += later
        if action == "fail":
            t.failed("k")
        elif action == "ok":
            t.succeeded("k")
        assert t.wait("k") == pytest.approx(wait)


def test_throttle_keys_are_separate():
    clock = FakeClock()
    t = throttle(clock, limit=1)
    t.failed("a")
    assert t.wait("a") == 300 and t.wait("b") == 0


def test_throttle_forgets_old_keys_when_full():
    clock = FakeClock()
    t = auth.Throttle(limit=5, window=60, lockout=300, clock=clock, max_keys=10)
    for i in range(50):
        t.failed(f"k{i}")
        clock.now += 1
    assert len(t._failures) + len(t._locked_until) <= 10


USERS = {
    "anna": {"password_hash": auth.hash_password("geheim", iterations=1000), "role": "beheerder"}
}


def attempts(clock, users=USERS):
    by_user, by_client = throttle(clock, limit=3), throttle(clock, limit=5)
    return lambda user, pw, client="c1": auth.sign_in(users, user, pw, client, by_user, by_client)


def test_sign_in_locks_the_user_name_also_for_the_right_password():
    clock = FakeClock()
    try_ = attempts(clock)
    assert [try_("anna", "fout").role for _ in range(3)] == [None, None, None]
    locked = try_("anna", "geheim")
    assert locked.role is None and locked.wait == 300 and locked.wait_minutes == 5
    assert try_("anna", "geheim", client="c2").wait == 300  # another client: still locked
    clock.now += 300
    assert try_("anna", "geheim").role == "beheerder"


def test_sign_in_locks_the_client_over_user_names():
    clock = FakeClock()
    try_ = attempts(clock)
    for name in ("a", "b", "c", "d", "e"):
        assert try_(name, "x").wait == 0
    assert try_("anna", "geheim").wait == 300  # this client guessed too often
    assert try_("anna", "geheim", client="c2").role == "beheerder"


def test_unknown_and_known_user_are_locked_alike():
    """The lock says nothing about whether a user exists."""
    clock = FakeClock()
    try_ = attempts(clock)
    for name in ("anna", "niemand"):
        results = [try_(name, "fout", client=name) for _ in range(4)]
        assert [(r.role, r.wait) for r in results] == [(None, 0)] * 3 + [(None, 300)]


@pytest.mark.parametrize(("wait", "minutes"), [(1, 1), (60, 1), (61, 2), (900, 15)])
def test_wait_minutes_round_up(wait, minutes):
    assert auth.SignIn(None, wait).wait_minutes == minutes


# ---------------------------------------------------------------- no username oracle
@pytest.fixture
def pbkdf2_calls(monkeypatch):
    """Every PBKDF2 computation as (password, salt, iterations)."""
    calls = []
    real = hashlib.pbkdf2_hmac

    def counting(name, password, salt, iterations, *args):
        calls.append((password, salt, iterations))
        return real(name, password, salt, iterations, *args)

    monkeypatch.setattr(auth.hashlib, "pbkdf2_hmac", counting)
    return calls


@pytest.mark.parametrize(
    ("user", "entry"),
    [
        ("anna", "known, wrong password"),
        ("bob", "unknown"),
        ("carl", "no hash"),
        ("dirk", "unusable hash"),
    ],
)
def test_every_refusal_costs_one_hash_of_the_same_iterations(pbkdf2_calls, user, entry):
    users = {
        "anna": {"password_hash": auth.hash_password("geheim", iterations=1234), "role": "x"},
        "carl": {"role": "beheerder"},
        "dirk": {"password_hash": "plain-text", "role": "beheerder"},
    }
    pbkdf2_calls.clear()
    assert auth.authenticate(users, user, "fout") is None, entry
    assert len(pbkdf2_calls) == 1
    password, salt, iterations = pbkdf2_calls[0]
    assert password == b"fout" and iterations == 1234 and len(salt) == 32


def test_unknown_user_is_checked_against_the_dummy_hash(monkeypatch):
    checked = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda pw, h: checked.append(h) or real(pw, h))
    assert auth.authenticate(USERS, "bob", "geheim") is None
    assert checked == [auth.dummy_hash(1000)]
    assert auth.authenticate({}, "bob", "geheim") is None
    assert checked[-1] == auth.dummy_hash(auth.ITERATIONS)  # no users: the default count


def test_dummy_hash_never_matches_and_compares_in_constant_time(monkeypatch):
    compared = []
    real = auth.hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: compared.append(b) or real(a, b))
    assert not auth.verify_password("", auth.dummy_hash(1000))
    assert compared == ["0" * 64]
