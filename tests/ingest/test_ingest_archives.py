"""ZIP and TAR archives: members into the blob store, nesting, hostile names, bombs."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from dossier.ingest.archives import extract_tar, extract_zip, safe_member_path
from dossier.ingest.extract import extract
from dossier.ingest.model import BombFile, CorruptFile, EncryptedFile

ORDER = "أمر توقيف صادر عن الفرع ٢٥١".encode()


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_with_nested_zip_and_tar_gz(tmp_path: Path, ctx) -> None:
    inner_zip = _zip({"inner/report.txt": b"Branch 215 report"})
    inner_tar = _tar_gz({"photos/list.txt": b"photo list", "order.txt": ORDER})
    path = tmp_path / "leak.zip"
    path.write_bytes(_zip({"gid/order.txt": ORDER, "nested.zip": inner_zip,
                           "backup.tar.gz": inner_tar, "empty-dir/": b""}))

    result = extract(path, ctx)

    assert result.media_type == "zip"
    children = {child.path: child for child in result.children}
    assert set(children) == {"gid/order.txt", "nested.zip", "backup.tar.gz"}
    assert ctx.blobs.path(children["gid/order.txt"].sha256).read_bytes() == ORDER
    assert "gid/order.txt" in result.pages[0].text  # the listing page
    assert result.pages[0].tool == "dossier archive listing"

    # the pipeline extracts each child with depth + 1; do the same here
    nested = extract(ctx.blobs.path(children["nested.zip"].sha256), ctx)
    assert [child.path for child in nested.children] == ["inner/report.txt"]
    tar = extract(ctx.blobs.path(children["backup.tar.gz"].sha256), ctx)
    assert (tar.media_type, tar.mime) == ("tar", "application/gzip")
    assert tar.metadata["compression"] == "gzip"
    assert {child.path for child in tar.children} == {"photos/list.txt", "order.txt"}


@pytest.mark.parametrize("mode", ["w", "w:bz2", "w:xz"])
def test_tar_in_every_compression(tmp_path: Path, ctx, mode: str) -> None:
    path = tmp_path / "backup.tar"
    with tarfile.open(path, mode) as archive:
        info = tarfile.TarInfo("order.txt")
        info.size = len(ORDER)
        archive.addfile(info, io.BytesIO(ORDER))

    result = extract(path, ctx)

    assert result.media_type == "tar"
    [child] = result.children
    assert ctx.blobs.path(child.sha256).read_bytes() == ORDER


def test_hostile_member_names_are_made_safe_and_links_skipped(tmp_path: Path, ctx) -> None:
    path = tmp_path / "hostile.tar"
    with tarfile.open(path, "w") as archive:
        for name in ("../../etc/passwd", "/abs/path.txt", "ok/fine.txt"):
            info = tarfile.TarInfo(name)
            info.size = 2
            archive.addfile(info, io.BytesIO(b"hi"))
        link = tarfile.TarInfo("ok/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/shadow"
        archive.addfile(link)

    result = extract_tar(path, ctx)

    assert [child.path for child in result.children] == ["etc/passwd", "abs/path.txt",
                                                         "ok/fine.txt"]
    assert result.metadata["renamed_members"] == {"etc/passwd": "../../etc/passwd",
                                                  "abs/path.txt": "/abs/path.txt"}
    assert result.metadata["skipped_members"] == [
        {"path": "ok/link", "reason": "symbolic link to /etc/shadow"}]
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize(("name", "safe"), [
    ("C:\\Users\\x\\doc.txt", "Users/x/doc.txt"), ("./a/./b", "a/b"), ("..", ""),
])
def test_safe_member_path(name: str, safe: str) -> None:
    assert safe_member_path(name) == safe


def test_utf8_names_without_the_utf8_flag_are_recovered(tmp_path: Path, ctx) -> None:
    # Some archivers write UTF-8 names without setting flag bit 11; zipfile then reads them
    # as cp437. Write an ASCII placeholder and swap in the UTF-8 bytes of an Arabic name.
    name = "الفرع.txt".encode()
    placeholder = b"P" * (len(name) - 4) + b".txt"
    data = _zip({placeholder.decode(): b"data"}).replace(placeholder, name)
    path = tmp_path / "names.zip"
    path.write_bytes(data)

    result = extract_zip(path, ctx)

    assert [child.path for child in result.children] == ["الفرع.txt"]


def test_zip_bomb_by_declared_size(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(_zip({"zeros.bin": b"\x00" * 5_000_000}))

    with pytest.raises(BombFile, match="zeros.bin.*5,000,000 bytes uncompressed"):
        extract(path, make_ctx(max_member_bytes=1_000_000))


def test_zip_bomb_by_compression_ratio(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "ratio.zip"
    path.write_bytes(_zip({"zeros.bin": b"\x00" * 3_000_000}))

    with pytest.raises(BombFile, match="would expand .* times.*zip bomb"):
        extract(path, make_ctx(max_compression_ratio=50))


def test_zip_bomb_by_total_size(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "many.zip"
    path.write_bytes(_zip({f"part{i}.bin": bytes(range(256)) * 2000 for i in range(5)},
                          compression=zipfile.ZIP_STORED))

    with pytest.raises(BombFile, match="more than 1,500,000 bytes uncompressed in all"):
        extract(path, make_ctx(max_archive_total_bytes=1_500_000))


def test_zip_with_too_many_members(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "members.zip"
    path.write_bytes(_zip({f"f{i}.txt": b"x" for i in range(20)}))

    with pytest.raises(BombFile, match="20 members, more than the limit of 10"):
        extract(path, make_ctx(max_archive_members=10))


def test_lying_declared_size_is_caught_while_streaming(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "liar.tar.gz"
    path.write_bytes(_tar_gz({"zeros.bin": b"\x00" * 4_000_000}))

    # tar declares the true size but gzip hides it: the ratio is judged on the whole stream
    with pytest.raises(BombFile, match="expands more than 100 times its size on disk"):
        extract(path, make_ctx(max_compression_ratio=100))


def test_nesting_deeper_than_the_limit_is_a_bomb(tmp_path: Path, make_ctx) -> None:
    path = tmp_path / "deep.zip"
    path.write_bytes(_zip({"a.txt": b"a"}))

    with pytest.raises(BombFile, match="nested 9 levels deep.*limit of 8"):
        extract(path, make_ctx(depth=9))


def test_encrypted_member_fails_the_archive_naming_it(tmp_path: Path, ctx) -> None:
    data = bytearray(_zip({"open.txt": b"x", "secret.pdf": b"y"}, zipfile.ZIP_STORED))
    # set the "encrypted" flag of secret.pdf in its local and central headers
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature, data.find(signature) + 1)
        data[start + offset] |= 0x01
    path = tmp_path / "locked.zip"
    path.write_bytes(bytes(data))

    with pytest.raises(EncryptedFile, match=r"1 of 2 members are encrypted \(secret.pdf\)"):
        extract(path, ctx)


def test_corrupt_member_names_the_member(tmp_path: Path, ctx) -> None:
    data = bytearray(_zip({"order.txt": ORDER * 50}))
    start = data.find(b"PK\x03\x04") + 30 + len("order.txt")
    data[start + 5:start + 25] = b"\xff" * 20  # damage the deflate stream
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))

    with pytest.raises(CorruptFile, match="order.txt"):
        extract(path, ctx)


def test_truncated_tar_gz_is_corrupt(tmp_path: Path, ctx) -> None:
    whole = _tar_gz({"a.txt": bytes(range(256)) * 400})
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(CorruptFile, match="a.txt.*damaged.*end of data"):
        extract(path, ctx)
