"""Vietnamese name pools for made-up people: the demo year, the generator, the benches.

Kinh names follow the frequency of family names (Nguyễn about 38%, Trần 11%,
Lê 9,5%, …) and of middle names by gender. The demo centre in Lâm Đồng adds a
few K'Ho, Mạ and Chu Ru names (`MINORITY`); the country-wide generator draws
about one trainee in ten from seven larger ethnic minorities (`MINORITIES`).
"""

import random

from enrollment.models import Trainee

FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4),
    ("Huỳnh", 1.5), ("Phan", 4.5), ("Vũ", 2.5), ("Võ", 1.5), ("Đặng", 2.1),
    ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5),
    ("Đinh", 0.6), ("Trương", 0.6),
]  # fmt: skip
MIDDLE = {
    "male": [("Văn", 40), ("Đức", 10), ("Minh", 10), ("Quang", 8), ("Hữu", 8),
             ("Công", 6), ("Thanh", 6), ("Xuân", 4), ("Ngọc", 4), ("Đình", 4)],
    "female": [("Thị", 50), ("Ngọc", 10), ("Thu", 8), ("Thanh", 8), ("Kim", 6),
               ("Minh", 6), ("Thị Thu", 4), ("Hồng", 4), ("Thùy", 4)],
}  # fmt: skip
GIVEN = {
    "male": ["Anh", "Minh", "Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Sơn", "Đức",
             "Quân", "Thắng", "Hoàng", "Phúc", "Bình", "Cường", "Khoa", "Trung", "Việt",
             "Toàn", "Hiếu", "Lâm", "Tài", "Ân", "Định"],
    "female": ["Hoa", "Lan", "Hương", "Hằng", "Linh", "Trang", "Thảo", "Ngọc",
               "Mai", "Hà", "Thủy", "Nhung", "Hòa", "Yến", "Vân", "Ánh", "Oanh",
               "Diệp", "Uyên", "Đào", "Quyên", "Loan", "Nga", "Hạnh", "Liên"],
}  # fmt: skip
# Lâm Đồng (the demo centre): family, given names by gender, ethnicity.
# K'Ho men carry "K'", women "Ka".
MINORITY = [
    ("Cil", {"male": ["K' Brông", "K' Điệp"], "female": ["Ka Hồng", "Ka Thu"]}, "K'Ho"),
    ("Liêng", {"male": ["Ha Tiến"], "female": ["Ha Thủy", "Ka Siêng"]}, "K'Ho"),
    ("Điểu", {"male": ["K' Lơi"], "female": ["Thị Mai"]}, "Mạ"),
    ("Touneh", {"male": ["Ya Ngân"], "female": ["Ma Hiền"]}, "Chu Ru"),
]
# The whole country (the generator): ethnicity, share among the minorities,
# family names, middle names (male, female) and given names (male, female;
# empty: the common Vietnamese ones).
MINORITIES = [
    ("Tày", 19, ["Nông", "Hoàng", "Lương", "Ma", "Lý"],
     (["Văn", "Đức"], ["Thị"]), ([], [])),
    ("Thái", 19, ["Lò", "Lường", "Cầm", "Quàng", "Vi"], (["Văn"], ["Thị"]), ([], [])),
    ("Mường", 15, ["Bùi", "Đinh", "Quách", "Hà"],
     (["Văn", "Công"], ["Thị"]), ([], [])),
    ("Khmer", 14, ["Thạch", "Danh", "Kim", "Sơn", "Lâm"], (["Sô", "Sa"], ["Thị"]),
     (["Phanh", "Rây", "Ra", "Rết", "Sóc"], ["Nét", "Sa Ly", "Chanh Thy", "Mây"])),
    ("Mông", 13, ["Giàng", "Vàng", "Sùng", "Thào", "Lầu"],
     (["A", "Seo", "Văn"], ["Thị"]),
     (["Páo", "Chứ", "Lử", "Dế", "Chính"], ["Mỷ", "Dở", "Sua", "Chi"])),
    ("Nùng", 11, ["Nông", "Lục", "Hoàng", "Mã"], (["Văn"], ["Thị"]), ([], [])),
    ("Dao", 9, ["Triệu", "Bàn", "Đặng", "Lý"],
     (["Văn", "Tòn"], ["Thị", "Mùi"]), ([], [])),
]  # fmt: skip


def weighted(rng: random.Random, pairs):
    """One value of `(value, weight)` pairs, drawn by weight."""
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights=weights)[0]


def random_person(rng: random.Random) -> tuple[str, str, str]:
    """A full name, gender and ethnicity as met in Lâm Đồng (6% minorities)."""
    gender = rng.choice(["male", "female"])
    if rng.random() < 0.06:
        family, given, ethnicity = rng.choice(MINORITY)
        return f"{family} {rng.choice(given[gender])}", gender, ethnicity
    name = " ".join(
        [
            weighted(rng, FAMILY_NAMES),
            weighted(rng, MIDDLE[gender]),
            rng.choice(GIVEN[gender]),
        ]
    )
    return name, gender, "Kinh"


def name_pools() -> dict[tuple[str, str], tuple[list[dict], list[float]]]:
    """Every name combination's stored fields, computed once, with weights.

    Keyed by (gender, ethnicity), "Kinh" included; each value is the list of
    `Trainee.name_fields` dicts and their cumulative weights, ready for
    `rng.choices(fields, cum_weights=…)`. Minority names are equally likely.
    """
    pools = {}
    for gender in ("male", "female"):
        combos, weights = [], []
        for family, fw in FAMILY_NAMES:
            for middle, mw in MIDDLE[gender]:
                for given in GIVEN[gender]:
                    combos.append(f"{family} {middle} {given}")
                    weights.append(fw * mw)
        pools[gender, "Kinh"] = combos, weights
        for ethnicity, _share, families, middles, givens in MINORITIES:
            index = 0 if gender == "male" else 1
            given_names = givens[index] or GIVEN[gender]
            combos = [
                f"{family} {middle} {given}"
                for family in families
                for middle in middles[index]
                for given in given_names
            ]
            pools[gender, ethnicity] = combos, [1] * len(combos)
    result = {}
    for key, (combos, weights) in pools.items():
        fields = [Trainee.name_fields(name) for name in combos]
        cumulative, total = [], 0
        for weight in weights:
            total += weight
            cumulative.append(total)
        result[key] = fields, cumulative
    return result
