//! The province-level divisions (GB/T 2260 two-digit codes) that the area
//! codes inside resident ID numbers and credit codes refer to.

use serde::Serialize;

/// A province-level division with its 2-digit administrative code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Province {
    /// Two-digit code as used at the start of resident ID numbers, e.g. "11".
    pub code: &'static str,
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
}

/// Shortens the table below to one line per division.
const fn prov(code: &'static str, zh: &'static str, en: &'static str) -> Province {
    Province { code, zh, en }
}

/// All 34 province-level divisions (GB/T 2260 two-digit codes).
pub const PROVINCES: &[Province] = &[
    prov("11", "北京市", "Beijing"),
    prov("12", "天津市", "Tianjin"),
    prov("13", "河北省", "Hebei"),
    prov("14", "山西省", "Shanxi"),
    prov("15", "内蒙古自治区", "Inner Mongolia"),
    prov("21", "辽宁省", "Liaoning"),
    prov("22", "吉林省", "Jilin"),
    prov("23", "黑龙江省", "Heilongjiang"),
    prov("31", "上海市", "Shanghai"),
    prov("32", "江苏省", "Jiangsu"),
    prov("33", "浙江省", "Zhejiang"),
    prov("34", "安徽省", "Anhui"),
    prov("35", "福建省", "Fujian"),
    prov("36", "江西省", "Jiangxi"),
    prov("37", "山东省", "Shandong"),
    prov("41", "河南省", "Henan"),
    prov("42", "湖北省", "Hubei"),
    prov("43", "湖南省", "Hunan"),
    prov("44", "广东省", "Guangdong"),
    prov("45", "广西壮族自治区", "Guangxi"),
    prov("46", "海南省", "Hainan"),
    prov("50", "重庆市", "Chongqing"),
    prov("51", "四川省", "Sichuan"),
    prov("52", "贵州省", "Guizhou"),
    prov("53", "云南省", "Yunnan"),
    prov("54", "西藏自治区", "Xizang (Tibet)"),
    prov("61", "陕西省", "Shaanxi"),
    prov("62", "甘肃省", "Gansu"),
    prov("63", "青海省", "Qinghai"),
    prov("64", "宁夏回族自治区", "Ningxia"),
    prov("65", "新疆维吾尔自治区", "Xinjiang"),
    prov("71", "台湾省", "Taiwan"),
    prov("81", "香港特别行政区", "Hong Kong"),
    prov("82", "澳门特别行政区", "Macau"),
];

/// Looks up a province-level division by its 2-digit code ("11" → Beijing).
pub fn province_by_code(code2: &str) -> Option<Province> {
    PROVINCES.iter().find(|p| p.code == code2).copied()
}
