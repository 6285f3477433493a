"""The persistent cache (typeset.world.Store): what a first render computes, kept between processes.

Entries are checked on every read (a broken one is dropped and made again), written atomically by
builds that run at once, kept within their size bound, least recently used out first; the folder
is the one asked for (``--cache-dir``, ``TYPESET_CACHE_DIR``, ``XDG_CACHE_HOME``), and one that
cannot be written is no cache, not an error. Then real builds in fresh processes: the second renders
from the cache and gives the same bytes; a corrupted entry is made again.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, run_typeset
from typeset.fonts import decode_codepoints, encode_codepoints
from typeset.world import Store, World, cache_folder, cache_limit

KEY_A = Store.key("test", "a")
KEY_B = Store.key("test", "b")


def entry_files(root: Path, kind: str | None = None) -> list[Path]:
    return sorted(p for p in (root / kind if kind else root).rglob("*") if p.is_file() and not p.name.startswith("."))


# -- the store itself ------------------------------------------------------------------------------


def test_an_entry_comes_back_as_it_was_put(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.get("test", KEY_A) is None
    store.put("test", KEY_A, b"payload \x00\xff")
    assert store.get("test", KEY_A) == b"payload \x00\xff"
    assert Store(tmp_path).get("test", KEY_A) == b"payload \x00\xff"  # another store on the folder: another process
    assert Store(tmp_path).get("test", KEY_B) is None


def test_the_key_covers_the_version_and_every_part_and_sets_in_any_order() -> None:
    assert Store.key("woff2", frozenset({3, 1, 2}), "x") == Store.key("woff2", frozenset({2, 3, 1}), "x")
    assert Store.key("woff2", frozenset({1, 2}), "x") != Store.key("woff2", frozenset({1, 2, 3}), "x")
    assert Store.key("a", "bc") != Store.key("ab", "c")
    nested = ("x", frozenset({"Ж", "b", "ü"}), (1, frozenset({"q", "r"})))
    assert Store.key(nested) == Store.key(("x", frozenset(sorted({"Ж", "b", "ü"}, reverse=True)), (1, {"r", "q"})))
    import typeset

    version = typeset.__version__
    try:
        typeset.__version__ = version + ".1"
        assert Store.key("woff2", "x") != KEY_A
        other = Store.key("test", "a")
    finally:
        typeset.__version__ = version
    assert other != KEY_A


@pytest.mark.parametrize("damage", [
    pytest.param(lambda data: data[:-1], id="cut-short"),
    pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 1]), id="one-bit-flipped"),
    pytest.param(lambda data: b"", id="empty"),
    pytest.param(lambda data: b"not an entry at all", id="foreign"),
    pytest.param(lambda data: data[:20] + b"\x00" * 32 + data[52:], id="checksum-zeroed"),
])
def test_a_damaged_entry_is_dropped_not_trusted(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path)
    store.put("test", KEY_A, b"the payload" * 100)
    [path] = entry_files(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    assert store.get("test", KEY_A) is None
    assert not path.exists()  # removed, so the next build makes it again
    store.put("test", KEY_A, b"made again")
    assert store.get("test", KEY_A) == b"made again"


def test_kinds_and_keys_that_are_not_names_reach_no_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    for kind, key in [("../x", KEY_A), ("test", "../../" + KEY_A[6:]), ("test", "a" * 63), ("", KEY_A)]:
        store.put(kind, key, b"x")
        assert store.get(kind, key) is None
    assert not (tmp_path / "x").exists()
    assert entry_files(tmp_path) == []


def test_the_size_bound_holds_and_the_least_recently_used_go_first(tmp_path: Path) -> None:
    store = Store(tmp_path, max_bytes=10_000)
    keys = [Store.key("test", i) for i in range(12)]
    for i, key in enumerate(keys[:8]):
        store.put("test", key, bytes([i]) * 1000)
        os.utime(store.path("test", key), (1_000_000 + i, 1_000_000 + i))  # put one after the other
    assert store.get("test", keys[0]) is not None  # read now: the most recently used
    for key in keys[8:]:
        store.put("test", key, b"n" * 1000)
    assert store.size() <= 10_000
    kept = {key for key in keys if store.get("test", key) is not None}
    assert keys[0] in kept and set(keys[8:]) <= kept  # read last, and the newest
    assert keys[1] not in kept and keys[2] not in kept  # used longest ago
    assert len(kept) == len(entry_files(tmp_path)) >= 8


def test_an_entry_larger_than_the_bound_is_not_kept(tmp_path: Path) -> None:
    store = Store(tmp_path, max_bytes=1000)
    store.put("test", KEY_A, b"x" * 2000)
    assert store.get("test", KEY_A) is None
    assert store.size() == 0


def _writer(root: str, worker: int) -> None:
    store = Store(Path(root), max_bytes=200_000)
    for round_ in range(40):
        shared = Store.key("test", "shared", round_ % 5)
        store.put("test", shared, f"shared {round_ % 5} ".encode() * 500)
        own = Store.key("test", worker, round_)
        store.put("test", own, f"worker {worker} round {round_} ".encode() * 300)
        got = store.get("test", shared)
        assert got is None or got == f"shared {round_ % 5} ".encode() * 500


def test_concurrent_writers_leave_only_whole_entries_within_the_bound(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(str(tmp_path), worker)) for worker in range(4)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(120)
    assert [p.exitcode for p in writers] == [0, 0, 0, 0]
    store = Store(tmp_path, max_bytes=200_000)
    files = entry_files(tmp_path)
    assert files and store.size() <= 200_000
    assert not list(tmp_path.rglob(".*.part"))  # no temporary file left behind
    for path in files:  # every entry left is whole: its checksum holds
        assert store.get("test", path.name) is not None, path
    for round_ in range(5):
        got = store.get("test", Store.key("test", "shared", round_))
        assert got is None or got == f"shared {round_} ".encode() * 500


def test_a_folder_that_cannot_be_made_is_no_cache_and_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = Store(blocker / "cache")
    store.put("test", KEY_A, b"x")
    assert store.get("test", KEY_A) is None
    assert store.folder("fontconfig", KEY_A) is None
    assert not store.writable


@pytest.mark.skipif(os.geteuid() == 0, reason="the superuser writes into a read-only folder")
def test_a_read_only_folder_is_read_but_not_written(tmp_path: Path) -> None:
    Store(tmp_path).put("test", KEY_A, b"kept")
    os.chmod(tmp_path / "test" / KEY_A[:2], 0o555)
    os.chmod(tmp_path / "test", 0o555)
    os.chmod(tmp_path, 0o555)
    try:
        store = Store(tmp_path)
        assert store.get("test", KEY_A) == b"kept"
        store.put("test", KEY_B, b"new")
        assert store.get("test", KEY_B) is None
    finally:
        for path in (tmp_path, tmp_path / "test", tmp_path / "test" / KEY_A[:2]):
            os.chmod(path, 0o755)


def test_a_store_without_a_folder_misses_and_drops(tmp_path: Path) -> None:
    store = Store(None)
    store.put("test", KEY_A, b"x")
    assert store.get("test", KEY_A) is None and store.size() == 0


@pytest.mark.parametrize(("environ", "chosen", "expected"), [
    ({"HOME": "/home/u"}, None, "/home/u/.cache/typeset"),
    ({"HOME": "/home/u", "XDG_CACHE_HOME": "/var/c"}, None, "/var/c/typeset"),
    ({"HOME": "/home/u", "XDG_CACHE_HOME": "relative/c"}, None, "/home/u/.cache/typeset"),  # XDG: ignored
    ({"HOME": "/home/u", "XDG_CACHE_HOME": "/var/c", "TYPESET_CACHE_DIR": "/t"}, None, "/t"),
    ({"HOME": "/home/u", "TYPESET_CACHE_DIR": "/t"}, Path("/chosen"), "/chosen"),
    ({}, None, None),
])
def test_the_cache_folder(environ: dict[str, str], chosen: Path | None, expected: str | None) -> None:
    assert cache_folder(environ, chosen) == (Path(expected) if expected else None)


def test_the_size_bound_from_the_environment() -> None:
    assert cache_limit({"TYPESET_CACHE_MAX_MB": "3"}) == 3 * 1024 * 1024
    assert cache_limit({"TYPESET_CACHE_MAX_MB": "lots"}) == cache_limit({}) == 512 * 1024 * 1024


def test_the_world_gives_out_its_store_and_keeps_it_when_it_widens(tmp_path: Path) -> None:
    world = World([], environ={"TYPESET_CACHE_DIR": str(tmp_path / "env")}, cache_dir=tmp_path / "chosen")
    assert world.store.root == tmp_path / "chosen"
    assert world.with_roots(tmp_path).store is world.store and world.only(tmp_path).store is world.store
    assert World([], environ={"TYPESET_CACHE_DIR": str(tmp_path / "env")}).store.root == tmp_path / "env"


def test_code_points_are_stored_as_ranges() -> None:
    codes = frozenset({0x20, 0x21, 0x22, 0x41, 0x4E00, 0x4E01, 0x10FFFF})
    assert encode_codepoints(codes) == b"20-22,41,4e00-4e01,10ffff"
    assert decode_codepoints(encode_codepoints(codes)) == codes
    assert decode_codepoints(b"") == frozenset()
    for bad in (b"zz", b"10-5", b"110000", b"\xff"):
        assert decode_codepoints(bad) is None


def test_stored_hyphenation_patterns_hyphenate_as_pyphen_does() -> None:
    import pyphen

    from typeset.render.hyphenation import _decode, _encode

    parsed = pyphen.HyphDict(pyphen.LANGUAGES["de_DE"])
    stored = _decode(_encode(parsed) or b"")
    assert stored is not None
    for word in ("Unternehmensführung", "Gewerkschaftsbewegung", "Arbeiterklasse", "Solidarität", "in"):
        assert stored.positions(word) == parsed.positions(word), word
    assert stored.positions("Gewerkschaftsbewegung")  # it does hyphenate
    assert _decode(b'{"maxlen": 3}') is None and _decode(b"[") is None


def test_a_stored_dictionary_is_read_only_for_a_language_that_is_hyphenated(tmp_path: Path) -> None:
    """The page names German and Russian; WeasyPrint hyphenates only German words (the Russian
    ones are names, never hyphenated): only the German patterns are read from the store."""
    import pyphen

    from typeset.render.hyphenation import _encode, _key, stored_dictionaries

    world = World([], cache_dir=tmp_path)
    paths = {lang: Path(pyphen.LANGUAGES[pyphen.language_fallback(lang)]) for lang in ("de", "ru")}
    for path in paths.values():
        pyphen.hdcache.pop(path, None)
        world.store.put("hyphenation", _key(world, path), _encode(pyphen.HyphDict(path)) or b"")
    page = '<p lang="de">Gewerkschaftsbewegung</p><p lang="ru" style="hyphens: manual">Профсоюз</p>'
    with stored_dictionaries(page, world):
        german = pyphen.Pyphen(lang="de")
        assert german.hd.positions("Gewerkschaftsbewegung") == pyphen.HyphDict(paths["de"]).positions(
            "Gewerkschaftsbewegung")
        assert german.inserted("Gewerkschaftsbewegung") == "Ge-werk-schafts-be-we-gung"
        assert type(german.hd.patterns).__name__ == "_Patterns"  # from the store, not parsed
        assert not dict.__contains__(pyphen.hdcache, paths["ru"])  # offered, never read
    assert paths["ru"] in pyphen.hdcache  # and read when asked for, later
    assert type(pyphen.hdcache[paths["ru"]].patterns).__name__ == "_Patterns"


# -- builds in fresh processes ---------------------------------------------------------------------


def _build(out: Path, cache: Path, *formats: str, env: dict[str, str] | None = None) -> dict[str, bytes]:
    args = ["build", EXAMPLE, "-l", "de", "--out", out, "--force", "--cache-dir", cache, "-j", "1"]
    for name in formats:
        args += ["-f", name]
    run_typeset(*args, env=env, check=True)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in (".pdf", ".docx", ".html") and ".de." in p.name}  # the editions


@pytest.fixture(scope="module")
def cold_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """Every format of the German edition, built with an empty cache in a folder of its own."""
    root = tmp_path_factory.mktemp("store-build")
    cache = root / "cache"
    env_cache = root / "env-cache"
    files = _build(root / "cold", cache, "pdf", "docx", "html", env={"TYPESET_CACHE_DIR": str(env_cache)})
    assert not env_cache.exists()  # --cache-dir wins over the environment
    return cache, files


def test_a_first_build_fills_the_cache_it_is_given(cold_build: tuple[Path, dict[str, bytes]]) -> None:
    cache, files = cold_build
    assert {name.rsplit(".", 1)[1] for name in files} == {"pdf", "docx", "html"}
    kinds = {path.relative_to(cache).parts[0] for path in entry_files(cache)}
    assert {"woff2", "docx-font", "cmap", "hyphenation", "fontconfig", "cffi-declarations"} <= kinds
    assert any(p.name.endswith(".cache-8") or "cache" in p.name for p in entry_files(cache, "fontconfig"))


def test_a_second_process_renders_from_the_cache_the_same_bytes(
        cold_build: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    cache, cold = cold_build
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    entries = {p: p.stat().st_ino for p in entry_files(copy) if p.relative_to(copy).parts[0] != "fontconfig"}
    for path in entries:
        os.utime(path, (1_000_000, 1_000_000))
    assert _build(tmp_path / "warm", copy, "pdf", "docx", "html") == cold
    read = {p.relative_to(copy).parts[0] for p in entries if p.stat().st_mtime > 1_000_000}
    # read from the cache (a read marks an entry used)
    assert {"woff2", "docx-font", "hyphenation", "cffi-declarations"} <= read
    assert {p: p.stat().st_ino for p in entries} == entries  # none written again (a write is a new file)
    assert [p for p in entry_files(copy) if "fontconfig" not in p.parts] == sorted(entries)  # and none added


def test_a_corrupted_entry_is_made_again(cold_build: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    cache, cold = cold_build
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    damaged = entry_files(copy, "woff2") + entry_files(copy, "docx-font")
    for path in damaged:
        data = bytearray(path.read_bytes())
        data[-100] ^= 0xFF  # inside the font: a file that would still look like a font
        path.write_bytes(bytes(data))
    files = _build(tmp_path / "again", copy, "docx", "html")
    assert files == {name: data for name, data in cold.items() if not name.endswith(".pdf")}
    store = Store(copy)
    for path in damaged:  # made again, whole
        assert store.get(path.relative_to(copy).parts[0], path.name) is not None


def test_a_cache_folder_that_cannot_be_written_degrades_to_no_cache(
        cold_build: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    _, cold = cold_build
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    files = _build(tmp_path / "out", blocker / "cache", "docx", "html")
    assert files == {name: data for name, data in cold.items() if not name.endswith(".pdf")}


def test_the_digest_of_typesets_code_is_the_same_from_the_cache_or_made(tmp_path: Path) -> None:
    import hashlib
    import subprocess
    import sys

    import typeset
    from typeset.world import PACKAGE_DIR

    made = hashlib.sha256(typeset.__version__.encode())
    for path in sorted(PACKAGE_DIR.glob("**/*.py"), key=lambda p: p.relative_to(PACKAGE_DIR).as_posix()):
        made.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        made.update(path.read_bytes())
    program = "from typeset.cache import code_digest; from typeset.world import World; print(code_digest(World([])))"

    def digest() -> str:
        return subprocess.run([sys.executable, "-c", program], env={**os.environ, "TYPESET_CACHE_DIR": str(tmp_path)},
                              capture_output=True, text=True, check=True).stdout.strip()

    assert digest() == made.hexdigest()  # made, and stored
    [entry] = entry_files(tmp_path, "code")
    assert digest() == made.hexdigest()  # read from the cache
    entry.write_bytes(entry.read_bytes()[:-1] + b"0")  # a wrong digest, with a checksum that does not match it
    assert digest() == made.hexdigest()
