"""The demo scenes' captions in Chinese, Spanish and Japanese, phrased as each language says it.

:mod:`engine.evaluation.demo_data` owns the scenes and their English captions; this module owns
the other languages' grammars, so that each reads as a native speaker would write it rather
than as English with words swapped:

* Chinese (``zh``) puts the place first ("草地上左边有两个红色的圆形"), counts with a measure
  word that fits the noun (两颗星星, 三个三角形), and has no plural;
* Spanish (``es``) makes the colour agree with the shape's gender and number (una estrella
  roja, dos cruces blancas, tres rombos azules) and the verb with the count (se ve / se ven);
* Japanese (``ja``) puts the verb last and counts with the native counter after the noun or
  before it with の (赤い丸が二つ, 二つの赤い丸), with colour adjectives in their own forms
  (赤い, 緑の).

Every caption names every attribute of the scene (count, colour, shape, position, background;
for pair scenes both objects, the relation and the background), as the English ones do: the
captions are the ground truth of the multilingual tests. Functions take attribute values, not
scene objects, so this module stays below ``demo_data`` (which imports it).
"""

from __future__ import annotations

import random

LANGUAGES: tuple[str, ...] = ("zh", "es", "ja")  # besides English, in demo_data

# ---------------------------------------------------------------------------------------------
# Chinese

# (noun, measure word): 星星 are counted in 颗, the rest in 个, a 方块 in 块.
_ZH_SHAPES: dict[str, tuple[tuple[str, str], ...]] = {
    "circle": (("圆形", "个"), ("圆", "个"), ("圆圈", "个")),
    "square": (("正方形", "个"), ("方块", "块"), ("方形", "个")),
    "triangle": (("三角形", "个"),),
    "star": (("星星", "颗"), ("五角星", "个"), ("星形", "个")),
    "cross": (("十字形", "个"), ("十字", "个")),
    "diamond": (("菱形", "个"),),
}
_ZH_COLOURS: dict[str, tuple[str, ...]] = {
    "red": ("红色",), "orange": ("橙色", "橘色"), "yellow": ("黄色",), "green": ("绿色",),
    "blue": ("蓝色",), "purple": ("紫色",), "pink": ("粉色", "粉红色"), "white": ("白色",),
}
_ZH_NUMBERS: dict[int, tuple[str, ...]] = {1: ("一",), 2: ("两",), 3: ("三",)}
# Where on the picture: as a place noun (左边有...) and as a predicate (...位于左侧).
_ZH_POSITION_NOUNS: dict[str, tuple[str, ...]] = {
    "left": ("左边", "左侧", "画面左侧"),
    "right": ("右边", "右侧", "画面右侧"),
    "top": ("上方", "顶部", "画面上部"),
    "bottom": ("下方", "底部", "画面下部"),
    "center": ("中间", "正中央", "画面中央"),
}
# The background as a place (草地上, 夜空中) and as a noun (背景是草地).
_ZH_BACKGROUND_PLACES: dict[str, tuple[str, ...]] = {
    "wooden table": ("木桌上", "木纹背景上", "木质桌面上"),
    "grass": ("草地上", "绿色的草坪上", "草丛中"),
    "night sky": ("夜空中", "深色的星空背景上", "夜空里"),
    "sand": ("沙子上", "沙滩上", "米色的沙地上"),
}
_ZH_BACKGROUND_NOUNS: dict[str, tuple[str, ...]] = {
    "wooden table": ("木桌", "木纹", "木质桌面"),
    "grass": ("草地", "绿草坪", "草丛"),
    "night sky": ("夜空", "星空", "深色的夜空"),
    "sand": ("沙子", "沙滩", "米色的沙地"),
}


def _zh_object(count: int, colour: str, shape: str, rng: random.Random) -> str:
    noun, measure = rng.choice(_ZH_SHAPES[shape])
    col = rng.choice(_ZH_COLOURS[colour])
    de = rng.choice(("的", ""))
    if count == 2 and rng.random() < 0.2:
        return f"一对{col}{de}{noun}"
    if count == 3 and rng.random() < 0.2:
        return f"三{measure}一组的{col}{noun}"
    return f"{rng.choice(_ZH_NUMBERS[count])}{measure}{col}{de}{noun}"


def _zh_single(count: int, colour: str, shape: str, position: str, background: str,
               template: int, rng: random.Random) -> str:
    obj = _zh_object(count, colour, shape, rng)
    pos = rng.choice(_ZH_POSITION_NOUNS[position])
    place = rng.choice(_ZH_BACKGROUND_PLACES[background])
    bg = rng.choice(_ZH_BACKGROUND_NOUNS[background])
    templates = (
        f"{place}{pos}有{obj}",
        f"一张照片：{obj}位于{pos}，背景是{bg}",
        f"在{place}，{pos}放着{obj}",
        f"画面{pos.removeprefix('画面')}是{obj}，背景是{bg}",
        f"{place}位于{pos}的{obj}",
        f"一幅图，{obj}出现在{pos}，背景为{bg}",
        f"{bg}场景，{pos}有{obj}",
    )
    return templates[template % len(templates)]


def _zh_pair(first: tuple[str, str], second: tuple[str, str], relation: str, background: str,
             template: int, rng: random.Random) -> str:
    a = _zh_object(1, first[1], first[0], rng)
    b = _zh_object(1, second[1], second[0], rng)
    a_short = a.removeprefix("一").lstrip("个颗块")  # 红色的圆形, as the sentence's topic
    b_short = b.removeprefix("一").lstrip("个颗块")
    side, opposite = ("左边", "右边") if relation == "left of" else ("上方", "下方")
    place = rng.choice(_ZH_BACKGROUND_PLACES[background])
    bg = rng.choice(_ZH_BACKGROUND_NOUNS[background])
    templates = (
        f"{place}，{a}在{b}的{side}",
        f"一张照片：{b_short}在{a_short}的{opposite}，背景是{bg}",
        f"{place}{b_short}的{side}有{a}",
        f"{a_short}位于{b_short}{side}，背景是{bg}",
        f"{b}，它的{side}是{a}，在{place}",
        f"{place}，{a}放在{b}的{side}",
    )
    return templates[template % len(templates)]


# ---------------------------------------------------------------------------------------------
# Spanish

# (singular, plural, gender)
_ES_SHAPES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "circle": (("círculo", "círculos", "m"),),
    "square": (("cuadrado", "cuadrados", "m"),),
    "triangle": (("triángulo", "triángulos", "m"),),
    "star": (("estrella", "estrellas", "f"),),
    "cross": (("cruz", "cruces", "f"),),
    "diamond": (("rombo", "rombos", "m"), ("diamante", "diamantes", "m")),
}
# (m. sg., f. sg., m. pl., f. pl.); naranja and rosa are invariable as colour names.
_ES_COLOURS: dict[str, tuple[str, str, str, str]] = {
    "red": ("rojo", "roja", "rojos", "rojas"),
    "orange": ("naranja", "naranja", "naranja", "naranja"),
    "yellow": ("amarillo", "amarilla", "amarillos", "amarillas"),
    "green": ("verde", "verde", "verdes", "verdes"),
    "blue": ("azul", "azul", "azules", "azules"),
    "purple": ("morado", "morada", "morados", "moradas"),
    "pink": ("rosa", "rosa", "rosa", "rosa"),
    "white": ("blanco", "blanca", "blancos", "blancas"),
}
_ES_POSITIONS: dict[str, tuple[str, ...]] = {
    "left": ("a la izquierda", "en el lado izquierdo", "en la parte izquierda de la imagen"),
    "right": ("a la derecha", "en el lado derecho", "en la parte derecha de la imagen"),
    "top": ("arriba", "cerca del borde superior", "en la parte superior de la imagen"),
    "bottom": ("abajo", "cerca del borde inferior", "en la parte inferior de la imagen"),
    "center": ("en el centro", "en el medio", "en el centro del encuadre"),
}
_ES_BACKGROUNDS: dict[str, tuple[str, ...]] = {
    "wooden table": ("sobre una mesa de madera", "sobre un fondo de vetas de madera",
                     "sobre una superficie de madera"),
    "grass": ("sobre la hierba", "sobre un césped verde", "en un campo de hierba"),
    "night sky": ("contra un cielo nocturno", "sobre un fondo oscuro y estrellado",
                  "en el cielo nocturno"),
    "sand": ("sobre la arena", "en una playa de arena", "sobre arena beige"),
}
_ES_BACKGROUND_NOUNS: dict[str, str] = {
    "wooden table": "mesa de madera", "grass": "hierba", "night sky": "cielo nocturno",
    "sand": "arena",
}


def _es_object(count: int, colour: str, shape: str, rng: random.Random) -> tuple[str, str]:
    """The noun phrase (``dos estrellas rojas``) and the bare noun (``estrellas``)."""
    singular, plural, gender = rng.choice(_ES_SHAPES[shape])
    forms = _ES_COLOURS[colour]
    fem = gender == "f"
    if count == 1:
        adj = forms[1] if fem else forms[0]
        det = rng.choice(("una", "una sola") if fem else ("un", "un solo"))
        return f"{det} {singular} {adj}", singular
    adj = forms[3] if fem else forms[2]
    det = rng.choice({2: ("dos", "un par de"), 3: ("tres", "un grupo de tres")}[count])
    return f"{det} {plural} {adj}", plural


def _es_single(count: int, colour: str, shape: str, position: str, background: str,
               template: int, rng: random.Random) -> str:
    obj, noun = _es_object(count, colour, shape, rng)
    pos = rng.choice(_ES_POSITIONS[position])
    bg = rng.choice(_ES_BACKGROUNDS[background])
    # "se ve un grupo de tres...": the verb agrees with the collective noun when there is one.
    seen = "se ve" if count == 1 or obj.startswith("un ") else "se ven"
    number = {1: "un" if _ES_SHAPES[shape][0][2] == "m" else "una", 2: "dos", 3: "tres"}[count]
    templates = (
        f"{obj} {pos} {bg}",
        f"una foto de {obj} {pos}, {bg}",
        f"{bg}, {obj} {pos}",
        f"{seen} {obj} {pos} {bg}",
        f"{number} {noun} de color {_ES_COLOURS[colour][0]} {pos} {bg}",
        f"una imagen que muestra {obj} {bg}, {pos}",
        f"escena de {_ES_BACKGROUND_NOUNS[background]} con {obj} {pos}",
    )
    return templates[template % len(templates)]


_ES_RELATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # (phrases for "first REL second", phrases for "second INVERSE first")
    "left of": (("a la izquierda de", "al lado izquierdo de"),
                ("a la derecha de", "al lado derecho de")),
    "above": (("encima de", "sobre", "por encima de"), ("debajo de", "bajo", "por debajo de")),
}


def _es_pair(first: tuple[str, str], second: tuple[str, str], relation: str, background: str,
             template: int, rng: random.Random) -> str:
    a, _ = _es_object(1, first[1], first[0], rng)
    b, _ = _es_object(1, second[1], second[0], rng)
    a = a.replace(" solo ", " ").replace(" sola ", " ")
    b = b.replace(" solo ", " ").replace(" sola ", " ")
    rels, invs = _ES_RELATIONS[relation]
    rel, inv = rng.choice(rels), rng.choice(invs)
    bg = rng.choice(_ES_BACKGROUNDS[background])
    templates = (
        f"{a} {rel} {b} {bg}",
        f"una foto de {b} {inv} {a}, {bg}",
        f"{bg}, {a} {rel} {b}",
        f"hay {a} {rel} {b} {bg}",
        f"{b} con {a} {rel} él, {bg}" if _ES_SHAPES[second[0]][0][2] == "m"
        else f"{b} con {a} {rel} ella, {bg}",
        f"una imagen de {a} colocado {rel} {b} {bg}"
        if _ES_SHAPES[first[0]][0][2] == "m"
        else f"una imagen de {a} colocada {rel} {b} {bg}",
    )
    return templates[template % len(templates)]


# ---------------------------------------------------------------------------------------------
# Japanese

_JA_SHAPES: dict[str, tuple[str, ...]] = {
    "circle": ("丸", "円", "円形"),
    "square": ("四角", "正方形", "四角形"),
    "triangle": ("三角", "三角形"),
    "star": ("星", "星形", "星マーク"),
    "cross": ("十字", "十字形"),
    "diamond": ("ひし形", "菱形"),
}
# Attributive forms: i-adjectives (赤い) where the language has them, else noun + の.
_JA_COLOURS: dict[str, tuple[str, ...]] = {
    "red": ("赤い", "赤色の"), "orange": ("オレンジ色の", "オレンジの"),
    "yellow": ("黄色い", "黄色の"), "green": ("緑の", "緑色の"), "blue": ("青い", "青色の"),
    "purple": ("紫の", "紫色の"), "pink": ("ピンクの", "ピンク色の"), "white": ("白い", "白色の"),
}
_JA_COUNTS: dict[int, tuple[str, ...]] = {
    1: ("一つ", "ひとつ", "1個"), 2: ("二つ", "ふたつ", "2個"), 3: ("三つ", "みっつ", "3個"),
}
_JA_POSITIONS: dict[str, tuple[str, ...]] = {
    "left": ("左側", "左", "画面の左寄り"),
    "right": ("右側", "右", "画面の右寄り"),
    "top": ("上部", "上の方", "画面の上端近く"),
    "bottom": ("下部", "下の方", "画面の下端近く"),
    "center": ("中央", "真ん中", "画面の中心"),
}
_JA_BACKGROUND_PLACES: dict[str, tuple[str, ...]] = {
    "wooden table": ("木のテーブルの上", "木目の背景の上", "木製の台の上"),
    "grass": ("芝生の上", "緑の芝生の上", "草むらの中"),
    "night sky": ("夜空", "暗い星空", "夜の空"),
    "sand": ("砂の上", "砂浜", "ベージュの砂の上"),
}
_JA_BACKGROUND_NOUNS: dict[str, tuple[str, ...]] = {
    "wooden table": ("木のテーブル", "木目", "木製の台"),
    "grass": ("芝生", "緑の芝生", "草むら"),
    "night sky": ("夜空", "星空", "暗い夜空"),
    "sand": ("砂", "砂浜", "ベージュの砂"),
}


def _ja_single(count: int, colour: str, shape: str, position: str, background: str,
               template: int, rng: random.Random) -> str:
    noun = rng.choice(_JA_SHAPES[shape])
    col = rng.choice(_JA_COLOURS[colour])
    n = rng.choice(_JA_COUNTS[count])
    pos = rng.choice(_JA_POSITIONS[position])
    place = rng.choice(_JA_BACKGROUND_PLACES[background])
    bg = rng.choice(_JA_BACKGROUND_NOUNS[background])
    inner = pos.removeprefix("画面の")  # 芝生の上の左寄り, not 芝生の上の画面の左寄り
    templates = (
        f"{place}の{inner}に{col}{noun}が{n}ある",
        f"{n}の{col}{noun}が{pos}にある写真、背景は{bg}",
        f"{bg}を背景に、{pos}に{col}{noun}が{n}",
        f"{place}、{pos}に{col}{noun}が{n}並んでいる" if count > 1
        else f"{place}、{pos}に{col}{noun}が{n}置かれている",
        f"{pos}にある{n}の{col}{noun}、{place}",
        f"{col}{noun}{n}が{place}の{inner}に写っている",
        f"{bg}の風景、{pos}に{n}の{col}{noun}",
    )
    return templates[template % len(templates)]


def _ja_object(shape: str, colour: str, rng: random.Random) -> str:
    return f"{rng.choice(_JA_COLOURS[colour])}{rng.choice(_JA_SHAPES[shape])}"


def _ja_pair(first: tuple[str, str], second: tuple[str, str], relation: str, background: str,
             template: int, rng: random.Random) -> str:
    a = _ja_object(*first, rng)
    b = _ja_object(*second, rng)
    side, opposite = ("左", "右") if relation == "left of" else ("上", "下")
    place = rng.choice(_JA_BACKGROUND_PLACES[background])
    bg = rng.choice(_JA_BACKGROUND_NOUNS[background])
    templates = (
        f"{place}で、{a}が{b}の{side}にある",
        f"{b}が{a}の{opposite}にある写真、背景は{bg}",
        f"{bg}を背景に、{b}の{side}に{a}",
        f"{place}、{a}は{b}の{side}側にある",
        f"{b}と、その{side}にある{a}、{place}",
        f"{b}の{side}に置かれた{a}、{place}",
    )
    return templates[template % len(templates)]


# ---------------------------------------------------------------------------------------------
# Dispatch

SINGLE_TEMPLATES = 7
PAIR_TEMPLATES = 6

_SINGLE = {"zh": _zh_single, "es": _es_single, "ja": _ja_single}
_PAIR = {"zh": _zh_pair, "es": _es_pair, "ja": _ja_pair}


def caption_single(lang: str, count: int, colour: str, shape: str, position: str,
                   background: str, template: int, rng: random.Random) -> str:
    """One phrasing (``template``) of a single-object scene in ``lang`` (zh, es or ja)."""
    return _SINGLE[lang](count, colour, shape, position, background, template, rng)


def caption_pair(lang: str, first: tuple[str, str], second: tuple[str, str], relation: str,
                 background: str, template: int, rng: random.Random) -> str:
    """One phrasing of a pair scene (``first`` and ``second`` are (shape, colour))."""
    return _PAIR[lang](first, second, relation, background, template, rng)
