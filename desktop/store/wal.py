"""The project file's write-ahead log (WAL): what a writer that stopped left in it, and
bringing it back into the file.

A project open for editing runs in WAL mode (`desktop/store/project.py`): a commit appends the
changed pages to `NAME-wal` and syncs it (one fsync instead of the rollback journal's several),
and closing the project copies them into the file and returns it to a rollback-journal file,
so a closed project is one self-contained file again. A writer that was killed leaves the
`-wal`/`-shm` pair: the transactions it committed are in the `-wal` (they are part of the
database: every reader sees them), and an edit it had not committed may have left frames
after the last commit, which SQLite ignores. Opening for editing brings the committed ones
into the file and drops the rest (`recover`), as a hot rollback journal is rolled back.

`unfinished_frames` reads the `-wal` as SQLite's own recovery does (format:
https://www.sqlite.org/fileformat2.html#walformat): the valid frames are those whose salts
match the header's and whose cumulative checksums hold; the log ends at the last valid
commit frame; frames of the same generation after it are an edit the writer had not committed.
"""
from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

WAL_MAGIC = (0x377F0682, 0x377F0683)   # little-endian / big-endian checksums
HEADER, FRAME_HEADER = 32, 24


def wal_path(path) -> Path:
    return Path(str(path) + "-wal")


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    mask = 0xFFFFFFFF
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & mask
        s1 = (s1 + words[i + 1] + s0) & mask
    return s0, s1


def unfinished_frames(path) -> int:
    """How many valid frames the `-wal` beside `path` holds after its last commit: pages of an
    edit its writer had not committed when it stopped (0 when there is no `-wal`)."""
    wal = wal_path(path)
    try:
        data = wal.read_bytes()
    except OSError:
        return 0
    if len(data) < HEADER:
        return 0
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:HEADER])
    if magic not in WAL_MAGIC or page_size < 512 or page_size & (page_size - 1):
        return 0
    big = magic & 1 == 1
    s0, s1 = _checksum(data[:24], 0, 0, big)
    if (s0, s1) != (c0, c1):
        return 0   # a header SQLite itself would not trust: the log is empty
    frame = FRAME_HEADER + page_size
    offset, log_end = HEADER, HEADER      # log_end: just after the last valid commit frame
    while offset + frame <= len(data):
        _page, commit_size, f_salt1, f_salt2, f0, f1 = struct.unpack(">6I", data[offset:offset + FRAME_HEADER])
        if (f_salt1, f_salt2) != (salt1, salt2):
            break
        s0, s1 = _checksum(data[offset:offset + 8], s0, s1, big)
        s0, s1 = _checksum(data[offset + FRAME_HEADER:offset + frame], s0, s1, big)
        if (s0, s1) != (f0, f1):
            break
        offset += frame
        if commit_size:
            log_end = offset
    # after the log, the frames of this log's generation (its salts) are pages of an edit that
    # was not committed: SQLite rewrites such a frame in place when the edit changes the page
    # again and fixes the checksums only at the commit, so their checksums need not hold
    unfinished, offset = 0, log_end
    while offset + frame <= len(data) and struct.unpack(">2I", data[offset + 8:offset + 16]) == (salt1, salt2):
        unfinished += 1
        offset += frame
    return unfinished


def checkpoint_into_file(conn: sqlite3.Connection) -> bool:
    """Copy the `-wal`'s committed pages into the file and return it to rollback-journal mode
    (the `-wal` and `-shm` removed). Only possible with no other connection open on the file:
    returns False (and leaves the WAL as it is) when another one is."""
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError:   # another connection reads or writes: it keeps the WAL
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    return mode == "delete"


def recover(path) -> bool:
    """Bring what a stopped writer left in the `-wal` beside `path` into the file: its commits
    kept, an unfinished edit dropped. Returns whether an unfinished edit was dropped (False also
    when another program has the file open: its `-wal` is then in use, not left over)."""
    if not wal_path(path).exists():
        return False
    unfinished = unfinished_frames(path)
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()   # SQLite's WAL recovery
        if not checkpoint_into_file(conn):
            return False
    finally:
        conn.close()
    return unfinished > 0



def wal_mode_without_log(path, header: bytes) -> bool:
    """A file in WAL mode (its header says so) with no `-wal` beside it: copied while open for
    editing, or left by a writer whose close could not checkpoint. All of it is in the file."""
    return len(header) >= 20 and header[18] == 2 and not wal_path(path).exists()
