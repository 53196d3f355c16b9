"""The sample deck's Python code slides compile, and the consumer loop and cache-aside functions
behave as their slides teach when run against small fakes of SQS, the cache and the database."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from conftest import REPO

from studydeck.project.loading import load_project
from studydeck.slides.code import CodeSlide
from studydeck.source.folder import find_project


def python_slides() -> list[tuple[str, CodeSlide]]:
    """Give every Python code slide of the sample deck, named `chapter: title`."""
    project = load_project(find_project(REPO))
    return [(f"{item.chapter.id}: {slide.title}", slide)
            for item in project.chapters for slide in item.chapter.slides
            if isinstance(slide, CodeSlide) and slide.language.lower() in ("python", "py")]


def slide_code(needle: str) -> str:
    """Give the code of the one Python slide whose code contains `needle`."""
    found = [slide.code for _, slide in python_slides() if needle in slide.code]
    assert len(found) == 1, f"one Python code slide should hold {needle!r}, found {len(found)}"
    return found[0]


def run_slides(namespace: dict[str, Any], *needles: str) -> dict[str, Any]:
    """Run the code of the slides holding `needles` in `namespace` (the fakes) and give it back."""
    for needle in needles:
        exec(compile(slide_code(needle), needle, "exec"), namespace)
    return namespace


def test_every_python_code_slide_of_the_sample_compiles() -> None:
    slides = python_slides()
    assert len(slides) >= 3  # the consumer loop, the cache read and the cache write
    for name, slide in slides:
        compile(slide.code, name, "exec")  # a SyntaxError names the slide


# --- the SQS consumer loop -------------------------------------------------------------------

class QueueDrained(BaseException):  # not an Exception: the slide's `except Exception` lets it by
    """The fake queue has nothing left: ends the slide's `while True`."""


@dataclass
class Message:
    body: str
    receives: int = 0
    visible_at: float = 0.0


@dataclass
class FakeSqs:
    """One queue with a clock, visibility timeouts and a redrive policy to a dead-letter queue."""

    bodies: list[str]
    max_receive_count: int = 3
    clock: float = 0.0
    messages: dict[str, Message] = field(default_factory=dict)
    dead_letters: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    deleted_late: list[str] = field(default_factory=list)  # after the message was visible again
    receive_calls: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.messages = {f"m{n}": Message(body) for n, body in enumerate(self.bodies, 1)}

    def receive_message(self, **request: Any) -> dict[str, Any]:
        self.receive_calls.append(request)
        assert len(self.receive_calls) < 100, "the loop keeps receiving"
        self._redrive()
        if not self.messages:
            raise QueueDrained
        visible = [key for key, m in self.messages.items() if m.visible_at <= self.clock]
        if not visible:  # long polling: wait until the first hidden message shows again
            self.clock = min(m.visible_at for m in self.messages.values())
            return {}
        batch = visible[:request["MaxNumberOfMessages"]]
        for key in batch:
            message = self.messages[key]
            message.receives += 1
            message.visible_at = self.clock + request["VisibilityTimeout"]
        return {"Messages": [{"Body": self.messages[key].body,
                              "ReceiptHandle": f"{key}#{self.messages[key].receives}"}
                             for key in batch]}

    def _redrive(self) -> None:
        for key, message in list(self.messages.items()):
            if message.visible_at <= self.clock and message.receives >= self.max_receive_count:
                self.dead_letters.append(message.body)
                del self.messages[key]

    def delete_message(self, QueueUrl: str, ReceiptHandle: str) -> None:  # boto3's names
        key = ReceiptHandle.split("#")[0]
        message = self.messages.pop(key)
        self.deleted.append(message.body)
        if self.clock > message.visible_at:
            self.deleted_late.append(message.body)


@dataclass
class FakeLog:
    failures: int = 0

    def exception(self, text: str) -> None:
        self.failures += 1


def consume(sqs: FakeSqs, handle: Callable[[str], None]) -> FakeLog:
    """Run the slide's loop until the queue is drained; give its log."""
    log = FakeLog()
    namespace = {"sqs": sqs, "QUEUE_URL": "https://sqs.example/q", "handle": handle, "log": log}
    with pytest.raises(QueueDrained):
        run_slides(namespace, "sqs.receive_message")
    return log


def handler(sqs: FakeSqs, seconds: float) -> Callable[[str], None]:
    """Give a handle() that takes `seconds` of the queue's clock and fails on a 'poison' body."""
    def handle(body: str) -> None:
        sqs.clock += seconds
        if body == "poison":
            raise ValueError(body)
    return handle


def test_the_loop_asks_for_ten_messages_hidden_sixty_seconds_with_long_polling() -> None:
    sqs = FakeSqs(["a"])
    consume(sqs, handler(sqs, 1))
    assert sqs.receive_calls[0] == {"QueueUrl": "https://sqs.example/q", "MaxNumberOfMessages": 10,
                                    "WaitTimeSeconds": 20, "VisibilityTimeout": 60}


def test_a_failing_message_does_not_end_the_loop_and_ends_in_the_dead_letter_queue() -> None:
    sqs = FakeSqs(["first", "poison", "last"])
    log = consume(sqs, handler(sqs, 1))
    assert sqs.deleted == ["first", "last"]  # the message after the failure was handled too
    assert sqs.dead_letters == ["poison"]  # never deleted: back after each timeout, then redriven
    assert log.failures == sqs.max_receive_count


def test_the_whole_batch_shares_the_sixty_seconds() -> None:
    quick = FakeSqs([f"job-{n}" for n in range(1, 11)])
    consume(quick, handler(quick, 5))  # ten in 50 s
    assert quick.deleted_late == []
    slow = FakeSqs([f"job-{n}" for n in range(1, 11)])
    consume(slow, handler(slow, 7))  # each in time alone, but the ninth ends at 63 s
    assert slow.deleted_late == ["job-9", "job-10"]


# --- cache-aside ----------------------------------------------------------------------------------

@dataclass
class FakeCache:
    """A key-value cache with SET's `nx` and `ex`; every call is written to `events`."""

    events: list[tuple[Any, ...]]
    values: dict[str, str] = field(default_factory=dict)
    ttls: dict[str, int] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def set(self, key: str, value: Any, ex: int | None = None, nx: bool = False) -> bool | None:
        self.events.append(("set", key, nx))
        if nx and key in self.values:
            return None
        self.values[key] = str(value)
        if ex is not None:
            self.ttls[key] = ex
        return True

    def delete(self, key: str) -> int:
        self.events.append(("delete", key))
        return 1 if self.values.pop(key, None) is not None else 0


@dataclass
class FakePrimary:
    """Products by id; reads are counted, a transaction's updates show only at its commit."""

    events: list[tuple[Any, ...]]
    rows: dict[int, dict[str, Any]]
    reads: int = 0

    def fetch_one(self, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
        assert sql.startswith("SELECT") and "%s" in sql
        self.reads += 1
        row = self.rows.get(params[0])
        return dict(row) if row is not None else None

    @contextmanager
    def transaction(self) -> Iterator[FakeTransaction]:
        tx = FakeTransaction()
        yield tx
        for price, product_id in tx.updates:
            self.rows[product_id]["price"] = price
        self.events.append(("commit",))


@dataclass
class FakeTransaction:
    updates: list[tuple[Any, ...]] = field(default_factory=list)

    def execute(self, sql: str, params: tuple[Any, ...]) -> None:
        assert sql.startswith("UPDATE products SET price")
        self.updates.append(params)


@dataclass
class FakeTime:
    naps: list[float] = field(default_factory=list)
    while_asleep: Callable[[], None] = lambda: None

    def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self.while_asleep()


@dataclass
class Shop:
    """The cache slides' functions with their fakes."""

    cache: FakeCache
    primary: FakePrimary
    time: FakeTime
    events: list[tuple[Any, ...]]
    get_product: Callable[[int], Any]
    update_price: Callable[[int, Decimal], None]


@pytest.fixture
def shop() -> Shop:
    events: list[tuple[Any, ...]] = []
    cache, time = FakeCache(events), FakeTime()
    updated = dt.datetime(2026, 12, 1, 9, 30)
    primary = FakePrimary(events, {1: {"id": 1, "price": Decimal("12.50"), "updated": updated},
                                   2: {"id": 2, "price": Decimal("3.00"), "updated": updated}})
    namespace = run_slides({"cache": cache, "primary": primary, "time": time, "json": json,
                            "random": random.Random(28)}, "def get_product", "def update_price")
    return Shop(cache, primary, time, events, namespace["get_product"],
                namespace["update_price"])


def test_a_miss_reads_the_primary_once_and_a_hit_gives_the_same_value(shop: Shop) -> None:
    missed = shop.get_product(1)  # DECIMAL and DATETIME columns: json.dumps alone would fail
    hit = shop.get_product(1)
    assert missed == hit == {"id": 1, "price": "12.50", "updated": "2026-12-01 09:30:00"}
    assert shop.primary.reads == 1
    assert "lock:product:1" not in shop.cache.values  # the fill lock is let go


def test_a_missing_product_is_remembered_as_null_for_the_ttl(shop: Shop) -> None:
    assert shop.get_product(404) is None
    assert shop.get_product(404) is None
    assert shop.primary.reads == 1
    assert shop.cache.values["product:404"] == "null"


def test_the_ttl_is_five_minutes_plus_up_to_a_minute_of_jitter(shop: Shop) -> None:
    shop.primary.rows.update({n: {"id": n, "price": Decimal(n)} for n in range(3, 40)})
    for product_id in range(1, 40):
        shop.get_product(product_id)
    ttls = [shop.cache.ttls[f"product:{n}"] for n in range(1, 40)]
    assert all(300 <= ttl <= 360 for ttl in ttls)
    assert len(set(ttls)) > 10  # spread out, not all expiring in the same second


def test_while_another_request_holds_the_lock_only_it_reads_the_database(shop: Shop) -> None:
    shop.cache.values["lock:product:1"] = "1"  # another request is filling the key
    filled = json.dumps({"id": 1, "price": "12.50"})
    shop.time.while_asleep = lambda: shop.cache.values.update({"product:1": filled})
    assert shop.get_product(1) == {"id": 1, "price": "12.50"}  # what the other request put
    assert shop.primary.reads == 0
    assert len(shop.time.naps) == 1
    assert shop.events == [("set", "lock:product:1", True)]  # asked for the lock with NX, once


def test_the_fill_lock_is_short_lived(shop: Shop) -> None:
    shop.cache.delete = lambda key: 0  # as if the filler died
    shop.get_product(1)
    assert shop.cache.ttls["lock:product:1"] <= 10  # expires by itself within seconds


def test_a_price_change_commits_before_it_deletes_the_key(shop: Shop) -> None:
    assert shop.get_product(1)["price"] == "12.50"
    shop.events.clear()
    shop.update_price(1, Decimal("9.90"))
    assert shop.events == [("commit",), ("delete", "product:1")]
    assert shop.get_product(1)["price"] == "9.90"  # the next read fills from the primary
    assert shop.primary.reads == 2
