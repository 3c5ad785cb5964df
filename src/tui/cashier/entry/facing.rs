//! What the customer display shows of the payment being typed.

use super::{method_of, Entry, AMOUNT, METHOD, PERIOD};
use crate::domain::money::{self, Fen, Method};

impl Entry {
    /// What the customer sees of the payment being typed: what is due, each
    /// tender (the one being typed last) and the change.
    pub(in crate::tui::cashier) fn facing(&self) -> crate::domain::facing::Moment {
        use crate::domain::facing::{change, Handed, Moment, Named};
        let mut handed: Vec<Handed> = self
            .tenders
            .iter()
            .map(|t| Handed {
                method: t.method,
                amount: t.amount,
            })
            .collect();
        let typed = money::parse_amount(&self.form.text(AMOUNT), self.limit).unwrap_or(Fen(0));
        if typed.0 > 0 {
            let method = method_of(&self.form.trimmed(METHOD)).unwrap_or(Method::Cash);
            handed.push(Handed {
                method,
                amount: typed,
            });
        }
        let due = self.quote.map(|q| q.total());
        let what = match &self.fee {
            Some(f) => Some(Named::new(&f.name.zh, &f.name.en)),
            None => {
                let period = self.form.trimmed(PERIOD);
                (due.is_some() && !period.is_empty()).then(|| {
                    Named::new(
                        format!("{period} 电费"),
                        format!("Electricity bill {period}"),
                    )
                })
            }
        };
        Moment::Paying {
            what,
            due,
            late_fee: self.quote.map(|q| q.late_fee).unwrap_or(Fen(0)),
            change: change(due, &handed),
            handed,
        }
    }
}
