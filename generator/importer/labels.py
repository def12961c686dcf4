"""Label and value normalisation: 數據 is 数据, （一） is (一), 1,234 is 1234."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Traditional forms met in mirror copies of these tables, to their simplified forms.
# (traditional, simplified) pairs, one pair a word.
_TRADITIONAL_PAIRS = (
    "數数 據据 開开 處处 請请 結结 復复 議议 訴诉 訟讼 總总 計计 規规 範范 號号 項项 資资 機机 "
    "關关 權权 屬属 於于 國国 穩稳 護护 務务 類类 過过 執执 詢询 沒没 現现 製制 補补 內内 確确 "
    "訪访 舉举 報报 無无 當当 認认 獲获 費费 繳缴 納纳 轉转 辦办 繼继 續续 維维 糾纠 審审 經经 "
    "從从 廢废 發发 許许 罰罚 強强 額额 萬万 採采 購购 團团 體体 組组 織织 業业 構构 會会 來来 "
    "決决 並并 為为 與与 個个 單单 應应 門门 們们 問问 題题 間间 統统 條条 際际 擬拟 營营 產产 "
    "勞劳 實实 對对 學学 點点 響响 運运 還还 進进 這这 選选 達达 邊边 東东 亞亚 區区 縣县 鄉乡 "
    "鎮镇 廳厅 員员 財财 稅税 險险 歸归 寫写 讓让 說说"
)
_TRADITIONAL = str.maketrans({pair[0]: pair[1] for pair in _TRADITIONAL_PAIRS.split()})
_PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]", re.I)  # 數(shù): artifacts of mirror sites
_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．,，]|[一二三四五六七八九十](?=[(（])|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])\s*"
)
_DROP = re.compile(r"[\s\"'“”‘’「」『』()（）【】\[\]、，,.．。:：;；/／·•*#]")


def norm(text: str) -> str:
    """A label as matched: no numbering, brackets, quotes, spaces, 行政 prefix; simplified, half-width."""
    t = _PINYIN.sub("", text)
    t = unicodedata.normalize("NFKC", t).translate(_TRADITIONAL).strip()
    for _ in range(3):
        t = _ENUM.sub("", t).strip()
    t = _DROP.sub("", t)
    return t.removeprefix("行政")


_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
BLANKS = {
    "": "原文空白",
    "/": "原文为“/”",
    "-": "原文为“-”",
    "—": "原文为“—”",
    "——": "原文为“——”",
    "－": "原文为“－”",
    "无": "原文为“无”",
}


@dataclass(frozen=True)
class Value:
    number: int | float | str | None
    note: str = ""  # why it is null, or how it was published
    unit: str = ""  # how a unit printed in the cell was taken: one of UNIT_KEPT, UNIT_OTHER, UNIT_PRINTED


UNIT_KEPT = "kept"  # the column's own unit after the number (4068.2万元 in a 万元 column): the number
UNIT_OTHER = "other"  # another unit (251000元 in a 万元 column): not converted, null
UNIT_PRINTED = "printed"  # a unit in a column that has none of its own (the 2019 fees): kept as printed
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(元|千元|万元|亿元)")


def read_value(cell: str, decimal: bool = False, unit_ok: bool = False, unit: str = "") -> Value | None:
    """A cell as a value; None when the cell is not a value at all (it is text).

    ``unit``: the column's unit of money (万元). An amount printed with that unit (4068.2万元) is its
    number; with another (251000元) it is not converted — it becomes a blank said as what was printed."""
    t = unicodedata.normalize("NFKC", cell).strip()
    if t in BLANKS:
        return Value(None, BLANKS[t])
    compact = re.sub(r"(?<=\d)[\s,，](?=\d)", "", t).removesuffix("件").strip()
    if _NUMBER.match(compact):
        if "." in compact:
            return Value(float(compact)) if decimal else None
        return Value(int(compact))
    amount = _AMOUNT.fullmatch(compact) if unit else None
    if amount is not None:
        if amount.group(2) != unit:
            return Value(None, f"原文为“{t}”，单位不是本栏的{unit}，未换算", UNIT_OTHER)
        number = amount.group(1)
        return Value(float(number) if "." in number else int(number), unit=UNIT_KEPT)
    if unit_ok and _AMOUNT.fullmatch(compact):
        return Value(compact, "原文单位", UNIT_PRINTED)
    return None


def is_value(cell: str) -> bool:
    return cell.strip() != "" and read_value(cell, decimal=True, unit_ok=True) is not None
