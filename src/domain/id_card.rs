//! The text a second-generation ID card reader (二代证读卡器, GA/T 467)
//! gives: 256 bytes of UCS-2 (little-endian) in fixed fields, padded with
//! spaces. Decoding is pure; the reader itself is elsewhere.

use chrono::NaiveDate;

use crate::domain::material_file::Validity;
use crate::domain::msg::Msg;
use crate::msg;

/// The base message's length in bytes.
pub const BASE_LEN: usize = 256;

/// What the card says of its holder and of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardText {
    pub name: String,
    pub address: String,
    pub id_no: String,
    /// The issuing public security office (签发机关).
    pub authority: String,
    pub valid_from: NaiveDate,
    pub valid_until: Validity,
}

/// Fields in order: (bytes).
const NAME: usize = 30;
const GENDER: usize = 2;
const NATION: usize = 4;
const BIRTH: usize = 16;
const ADDRESS: usize = 70;
const ID_NO: usize = 36;
const AUTHORITY: usize = 30;
const START: usize = 16;
const END: usize = 16;

fn ucs2(bytes: &[u8]) -> Option<String> {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units)
        .ok()
        .map(|s| s.trim_matches(|c: char| c == ' ' || c == '\0').to_string())
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y%m%d").ok()
}

/// Decodes the base message; `len` is the length the reader said it wrote.
/// A message cut short or unreadable is refused, never half used.
pub fn decode(bytes: &[u8], len: usize) -> Result<CardText, Msg> {
    let cut = || msg!("reader.cut_short");
    if len < BASE_LEN || bytes.len() < BASE_LEN {
        return Err(cut());
    }
    let mut at = 0;
    let mut take = |n: usize| {
        let field = ucs2(&bytes[at..at + n]);
        at += n;
        field
    };
    let name = take(NAME).ok_or_else(cut)?;
    let _gender = take(GENDER);
    let _nation = take(NATION);
    let _birth = take(BIRTH);
    let address = take(ADDRESS).ok_or_else(cut)?;
    let id_no = take(ID_NO).ok_or_else(cut)?;
    let authority = take(AUTHORITY).ok_or_else(cut)?;
    let start = take(START).ok_or_else(cut)?;
    let end = take(END).ok_or_else(cut)?;
    let valid_from = day(&start).ok_or_else(cut)?;
    let valid_until = match end.as_str() {
        "长期" => Validity::LongTerm,
        s => Validity::Until(day(s).ok_or_else(cut)?),
    };
    if name.is_empty() || id_no.chars().count() != 18 {
        return Err(cut());
    }
    Ok(CardText {
        name,
        address,
        id_no,
        authority,
        valid_from,
        valid_until,
    })
}

/// The base message of a card, as a reader writes it (for stand-in
/// readers and tests).
pub fn encode(fields: &[&str; 9]) -> Vec<u8> {
    let widths = [
        NAME, GENDER, NATION, BIRTH, ADDRESS, ID_NO, AUTHORITY, START, END,
    ];
    let mut out = Vec::with_capacity(BASE_LEN);
    for (text, width) in fields.iter().zip(widths) {
        let mut units: Vec<u16> = text.encode_utf16().collect();
        units.resize(width / 2, u16::from(b' '));
        for u in units.into_iter().take(width / 2) {
            out.extend_from_slice(&u.to_le_bytes());
        }
    }
    out.resize(BASE_LEN, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: [&str; 9] = [
        "王秀英",
        "2",
        "01",
        "19491231",
        "北京市朝阳区人民路1号",
        "11010519491231002X",
        "北京市公安局朝阳分局",
        "20161201",
        "长期",
    ];

    #[test]
    fn a_card_reads_back_with_its_validity() {
        let bytes = encode(&CARD);
        let c = decode(&bytes, BASE_LEN).unwrap();
        assert_eq!(c.name, "王秀英");
        assert_eq!(c.address, "北京市朝阳区人民路1号");
        assert_eq!(c.id_no, "11010519491231002X");
        assert_eq!(c.valid_until, Validity::LongTerm);
        let mut dated = CARD;
        dated[8] = "20361201";
        let c = decode(&encode(&dated), BASE_LEN).unwrap();
        assert_eq!(
            c.valid_until,
            Validity::Until(NaiveDate::from_ymd_opt(2036, 12, 1).unwrap())
        );
    }

    #[test]
    fn a_message_cut_short_is_refused() {
        let bytes = encode(&CARD);
        assert_eq!(decode(&bytes, 100).unwrap_err().key, "reader.cut_short");
        assert_eq!(
            decode(&bytes[..120], BASE_LEN).unwrap_err().key,
            "reader.cut_short"
        );
        let mut blank = CARD;
        blank[7] = "2016";
        assert!(decode(&encode(&blank), BASE_LEN).is_err());
    }
}
