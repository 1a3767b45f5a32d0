"""The bounded memories: least recently used goes first, by count and by the size held."""

from __future__ import annotations

from jixiao.lru import Lru, by_text


def test_lru_drops_the_least_recently_used_by_count_and_by_weight():
    memory = Lru(3)
    for key in "abc":
        memory.put(key, key.upper())
    assert memory.get("a") == "A"  # now the most recent
    memory.put("d", "D")
    assert memory.get("b") is None and [memory.get(k) for k in "acd"] == ["A", "C", "D"]
    heavy = Lru(100, max_weight=10)
    heavy.put("x", 1, 6)
    heavy.put("y", 2, 6)
    assert heavy.get("x") is None and heavy.get("y") == 2
    heavy.put("y", 3, 4)  # replacing an entry gives back its weight
    heavy.put("z", 4, 6)
    assert heavy.get("y") == 3 and heavy.get("z") == 4
    heavy.put("huge", 5, 50)  # larger than the bound: kept alone, not refused
    assert heavy.get("huge") == 5 and heavy.get("z") is None


def test_by_text_answers_a_repeated_text_from_memory_and_holds_a_bounded_amount():
    calls = []

    @by_text(max_chars=20)
    def words(text: str) -> tuple[str, ...]:
        calls.append(text)
        return tuple(text.split())

    assert words("a b") == ("a", "b") and words("a b") == ("a", "b") and calls == ["a b"]
    words("x" * 30)  # alone over the bound: everything else is dropped
    words("a b")
    assert calls == ["a b", "x" * 30, "a b"]
