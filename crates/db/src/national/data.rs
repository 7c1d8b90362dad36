//! The national data set's fixed spreads: regions by weight, names, categories, items, sponsors.

use rand::Rng;
use rand::rngs::StdRng;

/// Relative numbers of schoolchildren by region code (rounded from the regions' populations).
pub(super) const WEIGHTS: [(&str, u32); 20] = [
    ("KZ-61", 12),
    ("KZ-75", 9),
    ("KZ-19", 8),
    ("KZ-79", 7),
    ("KZ-71", 6),
    ("KZ-31", 6),
    ("KZ-35", 5),
    ("KZ-15", 5),
    ("KZ-63", 4),
    ("KZ-43", 4),
    ("KZ-47", 4),
    ("KZ-23", 4),
    ("KZ-55", 3),
    ("KZ-39", 3),
    ("KZ-11", 3),
    ("KZ-33", 3),
    ("KZ-27", 3),
    ("KZ-10", 3),
    ("KZ-59", 2),
    ("KZ-62", 1),
];

pub(super) const SURNAMES: [&str; 12] = [
    "Ахметова",
    "Бекова",
    "Жумабаева",
    "Ким",
    "Нұрланова",
    "Оспанова",
    "Сейткали",
    "Құрманғазы",
    "Иванова",
    "Әбенова",
    "Төлеуова",
    "Серікова",
];

pub(super) const NAMES: [&str; 12] = [
    "Айгерим",
    "Мария",
    "Аружан",
    "Томирис",
    "Амина",
    "Іңкәр",
    "Дана",
    "Әлия",
    "Алихан",
    "Нұрсұлтан",
    "Данияр",
    "Ерасыл",
];

pub(super) const CATEGORIES: [(&str, u32); 6] = [
    ("asp", 35),
    ("large_family", 30),
    ("low_income", 20),
    ("no_parental_care", 6),
    ("orphan", 4),
    ("special_needs", 5),
];

pub(super) const ITEMS: [(&str, i64); 5] =
    [("backpack", 18_000), ("uniform", 25_000), ("sports_suit", 12_000), ("shoes", 15_000), ("stationery", 6_000)];

pub(super) const SPONSOR_NAMES: [&str; 8] = [
    "ТОО «Казахмыс»",
    "Корпоративный фонд «Коунрад»",
    "ИП Аспандиров",
    "Выпускники школы",
    "Родительский комитет",
    "АО «Самрук-Казына»",
    "ОО «Jastar Bolashaq»",
    "Фонд «Добро без границ»",
];

pub(super) fn pick<'a>(rng: &mut StdRng, table: &'a [(&'a str, u32)]) -> &'a str {
    let total: u32 = table.iter().map(|t| t.1).sum();
    let mut r = rng.random_range(0..total);
    for (code, w) in table {
        if r < *w {
            return code;
        }
        r -= w;
    }
    table[0].0
}
