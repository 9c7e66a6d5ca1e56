"""Item: GBK and Big5 files of any size are read, also when byte 200,000 (the end of the
encoding-detection window) falls inside a two-byte character."""
import pytest

from app.imports.reading import read_table

DETECTION_WINDOW = 200_000  # the bytes encoding detection reads

WORDS = {
    "gbk": ["连天红", "家具", "有限公司", "上海", "贸易", "北京", "广州", "电子", "科技", "实业",
            "五金", "制造", "餐饮", "建材", "物流", "服装"],
    "big5": ["連天紅", "傢俱", "有限公司", "臺北", "貿易", "高雄", "新竹", "電子", "科技", "實業",
             "五金", "製造", "餐飲", "建材", "物流", "服裝"],
}


def chinese_csv(encoding: str, rows: int, pad: int = 0) -> tuple[bytes, list[str]]:
    """A customer file of `rows` rows; `pad` ASCII characters in the header shift every
    later byte, so the caller can put byte 200,000 inside a character or between two."""
    words = WORDS[encoding]
    names = [words[i % 16] + words[(i * 7 + 3) % 16] + words[(i * 3 + 1) % 16] for i in range(rows)]
    header = "客户编号,客户名称,备注" if encoding == "gbk" else "客戶編號,客戶名稱,備註"
    # About 100 bytes a row, as a real customer list with an address column has.
    lines = [header + "x" * pad] + [
        f"K{i},{name},{''.join(words[(i + k * 5) % 16] for k in range(12))}"
        for i, name in enumerate(names)]
    return ("\n".join(lines) + "\n").encode(encoding), names


def splits_at_window(data: bytes) -> bool:
    """Whether the detection window's last byte is the first half of a character."""
    try:
        data[:DETECTION_WINDOW].decode("gb18030")
        return False
    except UnicodeDecodeError as problem:
        return "incomplete" in str(problem) or "unexpected end" in str(problem)


def split_and_whole(encoding: str, rows: int) -> list[tuple[bytes, list[str]]]:
    """For a file of about `rows` rows: one version whose window ends mid-character and one
    whose window does not (they differ by one byte of padding)."""
    found = {}
    for pad in range(4):
        data, names = chinese_csv(encoding, rows, pad)
        found.setdefault(splits_at_window(data), (data, names))
    return list(found.values())


@pytest.mark.parametrize("encoding", ["gbk", "big5"])
@pytest.mark.parametrize("rows", [1, 40, 900, 2700, 2800, 3000, 4100, 9000, 30000])
def test_chinese_files_of_every_size_are_read_whole(encoding, rows):
    versions = split_and_whole(encoding, rows)
    if len(versions[0][0]) > DETECTION_WINDOW:  # both cases at the window's end are exercised
        assert len(versions) == 2
    for data, names in versions:
        headers, table = read_table("customers.csv", data)
        assert headers[1] in ("客户名称", "客戶名稱")
        assert [row[1] for row in table] == names
