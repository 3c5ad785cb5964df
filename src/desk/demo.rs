//! Realistic demo customers for training rooms and benchmarks: valid IDs,
//! Chinese names, addresses and phones, each with an electricity account.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::json;

use super::{Desk, DeskError};
use crate::domain::customer::GREEN_CHANNEL;
use crate::domain::id;
use crate::domain::states::MaterialStatus;
use crate::store::customers::{BulkLoader, NewCustomerRow};
use crate::store::{Aggregate, Event};

const AREAS: &[(&str, &str)] = &[
    ("110105", "北京市朝阳区"),
    ("110108", "北京市海淀区"),
    ("120101", "天津市和平区"),
    ("310115", "上海市浦东新区"),
    ("320102", "江苏省南京市玄武区"),
    ("330106", "浙江省杭州市西湖区"),
    ("340104", "安徽省合肥市蜀山区"),
    ("350102", "福建省福州市鼓楼区"),
    ("350203", "福建省厦门市思明区"),
    ("360102", "江西省南昌市东湖区"),
    ("370102", "山东省济南市历下区"),
    ("410105", "河南省郑州市金水区"),
    ("420106", "湖北省武汉市武昌区"),
    ("430104", "湖南省长沙市岳麓区"),
    ("440106", "广东省广州市天河区"),
    ("440305", "广东省深圳市南山区"),
    ("500103", "重庆市渝中区"),
    ("510107", "四川省成都市武侯区"),
    ("610113", "陕西省西安市雁塔区"),
    ("210102", "辽宁省沈阳市和平区"),
];

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红建国文辉鹏飞宇浩然欣怡子涵梓轩晨雨佳琪思远志德云海波宁晓东春梅小龙凤林";
const ROADS: &[&str] = &[
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "和平路",
    "新华路",
    "胜利路",
    "文化路",
    "长江路",
    "黄河路",
    "光明路",
    "青年路",
    "幸福路",
    "友谊路",
    "朝阳路",
    "东风路",
    "五一路",
    "滨江路",
];
const PHONE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "177", "180", "181", "182", "185", "186", "187", "188",
    "189", "191", "199",
];

/// How many rows go into one transaction.
const BATCH: u64 = 50_000;

/// One generated customer.
#[derive(Debug, Clone)]
pub struct DemoCustomer {
    /// Valid resident ID.
    pub id_no: String,
    pub name: String,
    /// Mobile phone.
    pub phone: String,
    pub address: String,
    /// Birth date.
    pub birth: NaiveDate,
    /// Gender code.
    pub gender: crate::domain::id::Gender,
    pub account_no: String,
}

fn pick_char(rng: &mut fastrand::Rng, s: &str) -> char {
    let n = s.chars().count();
    s.chars().nth(rng.usize(..n)).unwrap_or('王')
}

/// Generates one demo customer born on or before `today`.
pub fn generate(rng: &mut fastrand::Rng, today: NaiveDate) -> DemoCustomer {
    let (area, place) = AREAS[rng.usize(..AREAS.len())];
    // Ages 18 to 95, so the green channel shows up now and then.
    let days = rng.i64(18 * 365..95 * 365);
    let birth = today - Duration::days(days);
    let seq = rng.u16(0..1000);
    let id_no = id::make_resident_id(area, birth, seq).unwrap_or_default();
    let mut name = String::new();
    name.push(pick_char(rng, SURNAMES));
    for _ in 0..rng.usize(1..=2) {
        name.push(pick_char(rng, GIVEN));
    }
    let phone = format!(
        "{}{:08}",
        PHONE_PREFIXES[rng.usize(..PHONE_PREFIXES.len())],
        rng.u32(0..100_000_000)
    );
    let address = format!(
        "{place}{}{}号{}栋{}单元{}室",
        ROADS[rng.usize(..ROADS.len())],
        rng.u32(1..999),
        rng.u32(1..30),
        rng.u32(1..6),
        rng.u32(101..2802)
    );
    let account_no = format!("{}{:09}", &area[..4], rng.u64(0..1_000_000_000));
    DemoCustomer {
        gender: if seq % 2 == 1 {
            crate::domain::id::Gender::Male
        } else {
            crate::domain::id::Gender::Female
        },
        id_no,
        name,
        phone,
        address,
        birth,
        account_no,
    }
}

fn age(birth: NaiveDate, today: NaiveDate) -> u32 {
    let mut a = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        a -= 1;
    }
    a.max(0) as u32
}

impl Desk {
    /// Adds `count` new demo customers, reporting progress after each batch.
    /// Returns how many were added.
    pub fn demo_data(
        &mut self,
        count: u64,
        seed: u64,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, DeskError> {
        let mut rng = fastrand::Rng::with_seed(seed);
        let today = self.clock().today();
        let threshold = self.config.customers.green_channel_age;
        let mut added = 0u64;
        while added < count {
            let want = BATCH.min(count - added);
            let n = self.store.write(None, |tx, now| {
                let mut loader = BulkLoader::new(tx, now)?;
                let mut n = 0u64;
                let mut made = Vec::new();
                // Random IDs collide now and then; keep drawing until the batch is full.
                while n < want {
                    let c = generate(&mut rng, today);
                    let row = NewCustomerRow {
                        id_no: &c.id_no,
                        id_kind: Some(crate::domain::id::DocKind::ResidentId),
                        name: &c.name,
                        name_latin: None,
                        phone: Some(&c.phone),
                        address: Some(&c.address),
                        birth_date: Some(c.birth),
                        gender: Some(c.gender),
                        created_by: None,
                        signoff: None,
                        lang: crate::domain::msg::Lang::Zh,
                    };
                    if let Some(cid) = loader.customer(&row)? {
                        loader.account(cid, &c.account_no, &c.address, "residential")?;
                        if age(c.birth, today) >= threshold {
                            loader.flag(cid, GREEN_CHANNEL)?;
                        }
                        made.push(Aggregate::Customer(cid));
                        n += 1;
                    }
                }
                // Demo rows are bound like any other, so `verify` passes.
                let event = Event::new("demo.customers", "demo", json!({"count": n}));
                Ok((n, event.also(made)))
            })?;
            added += n;
            progress(added);
        }
        Ok(added)
    }
}

impl Desk {
    /// Adds `count` accepted demo applications of the residential new-install
    /// type (or the first form that takes persons) for random existing
    /// customers, accepted over the last 60 days, with their steps,
    /// materials and disclosures. Returns how many were added.
    pub fn demo_applications(
        &mut self,
        count: u64,
        seed: u64,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, DeskError> {
        use crate::domain::disclosure;
        use crate::domain::form::ApplicantKind;
        use crate::store::applications::{self, MaterialRow, NewApplication};

        let form = self
            .forms
            .iter()
            .find(|f| f.code == "lv_residential_new")
            .or_else(|| {
                self.forms
                    .iter()
                    .find(|f| f.applicant.contains(&ApplicantKind::Person))
            })
            .cloned()
            .ok_or_else(|| {
                DeskError::new(crate::msg!(
                    "acceptance.unknown_form",
                    code = "lv_residential_new"
                ))
            })?;
        let customers = crate::store::customers::count(self.store.conn())?;
        if customers == 0 {
            return Err(DeskError::new(crate::msg!("demo.no_customers")));
        }
        let clerk = crate::store::clerks::all(self.store.conn())?
            .into_iter()
            .find(|c| c.role == Some(crate::domain::clerk::Role::Clerk))
            .map(|c| c.id)
            .ok_or_else(|| DeskError::new(crate::msg!("demo.no_clerk")))?;
        let snapshot = serde_json::to_string(&form)
            .map_err(|e| DeskError::new(crate::msg!("store.sql", detail = e)))?;
        let today = self.clock().today();
        let mut plans = std::collections::HashMap::new();
        for back in 0..60 {
            let day = today - Duration::days(back);
            let plan = crate::domain::plan::plan(
                &form,
                &self.calendar,
                day,
                ApplicantKind::Person,
                false,
            )?;
            let items = disclosure::items(&form, &plan);
            plans.insert(back, (day, plan, items));
        }
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut added = 0u64;
        while added < count {
            let want = BATCH.min(count - added);
            self.store.write(None, |tx, now| {
                let snapshot_id = applications::snapshot(tx, &form.code, &form.version, &snapshot)?;
                let mut made = Vec::new();
                for _ in 0..want {
                    let (day, plan, items) = &plans[&rng.i64(0..60)];
                    let seq = applications::next_ticket_seq(tx, *day, "D")?;
                    let ticket = format!("SL{}-D-{seq:05}", day.format("%Y%m%d"));
                    let at = day.and_hms_opt(9, 0, 0).map(|t| t.and_utc()).unwrap_or(now);
                    let id = applications::insert(
                        tx,
                        &NewApplication {
                            ticket_no: &ticket,
                            customer_id: rng.i64(1..=customers),
                            form_code: &form.code,
                            form_version: &form.version,
                            snapshot_id,
                            clerk_id: clerk,
                            fields_json: r#"{"requested_capacity_kw":"8","application_kind":"new_install"}"#,
                            commitment_signed: true,
                            duplicate_reason: None,
                            window: "D",
                        },
                        at,
                    )?;
                    for (i, s) in plan.steps.iter().enumerate() {
                        let row = super::steps::step_row(i, s);
                        applications::insert_step(tx, id, &row, s.starts_from)?;
                    }
                    for (i, m) in plan.materials.iter().enumerate() {
                        let owed = !m.at_acceptance && rng.bool();
                        let row = MaterialRow {
                            seq: i as i64 + 1,
                            material_id: m.id.clone(),
                            name_zh: m.name.zh.clone(),
                            name_en: m.name.en.clone(),
                            form: crate::domain::form::MaterialForm::Copy,
                            status: if owed { MaterialStatus::Owed } else { MaterialStatus::Received },
                            due_date: if owed { m.due.map(|d| d.date) } else { None },
                            due_estimated: false,
                            received_at: (!owed).then_some(at),
                            scan: None,
                        };
                        applications::insert_material(tx, id, &row, (!owed).then_some(clerk))?;
                    }
                    for (seq, item) in items.iter().enumerate() {
                        applications::insert_disclosure(tx, id, seq as i64 + 1, item.section.code(), &item.id, &item.text.zh, &item.text.en, clerk, at)?;
                    }
                    made.push(Aggregate::Application(id));
                }
                let event = Event::new("demo.applications", "demo", json!({"count": want}));
                Ok(((), event.also(made)))
            })?;
            added += want;
            progress(added);
        }
        Ok(added)
    }
}
