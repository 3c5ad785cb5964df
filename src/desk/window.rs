//! The service at the window as the customer sees it: the handling time
//! (from the customer identified to the rating), the rating being asked
//! for, and the customer display that shows both. The screens tell the
//! desk what the customer may see after every key ([`Desk::show`]); the
//! desk adds the window's header and the rating, and publishes it.

use chrono::{DateTime, Duration, Utc};

use super::ratings::ClerkSees;
use super::{Desk, Session};
use crate::display::{Display, StartError};
use crate::domain::facing::{Asking, ClerkCard, Facing, Moment, Named};
use crate::domain::msg::{Lang, Msg};
use crate::msg;
use crate::store::ratings;

/// How long the display thanks the customer after a rating.
const THANKS_SECONDS: i64 = 5;
/// How long a display may be gone before a waiting rating counts as not
/// rated (a page reload reconnects well within it).
const GONE_SECONDS: u64 = 10;
/// How long the clerk's status line says "rated" or "not rated".
const SAID_SECONDS: i64 = 30;

/// The window's state between keys.
#[derive(Default)]
pub struct Window {
    /// When the customer now served was identified.
    started: Option<DateTime<Utc>>,
    /// What the clerk's screen shows the customer.
    moment: Moment,
    lang: Option<Lang>,
    clerk: Option<ClerkCard>,
    /// The last transaction's rating: its reference, what the clerk may
    /// see of it, until when it is asked for, and when it was rated.
    last: Option<Last>,
    display: Option<Display>,
}

struct Last {
    reference: String,
    seen: ClerkSees,
    until: DateTime<Utc>,
    ended: Option<DateTime<Utc>>,
}

impl Window {
    pub(super) fn started(&self) -> Option<DateTime<Utc>> {
        self.started
    }

    pub(super) fn asked(&mut self, reference: &str, until: DateTime<Utc>) {
        self.last = Some(Last {
            reference: reference.to_string(),
            seen: ClerkSees::Waiting,
            until,
            ended: None,
        });
    }

    /// The service ended without a rating to wait for.
    pub(super) fn served(&mut self) {
        self.started = None;
    }

    pub(super) fn rated(&mut self, reference: &str, seen: ClerkSees, now: DateTime<Utc>) {
        if let Some(l) = self.last.as_mut().filter(|l| l.reference == reference) {
            l.seen = seen;
            l.ended = Some(now);
        }
        // The service ends with its rating: the next customer's time starts afresh.
        self.started = None;
    }

    pub(super) fn seen(&self) -> Option<ClerkSees> {
        self.last.as_ref().map(|l| l.seen)
    }

    fn waiting(&self) -> bool {
        self.seen() == Some(ClerkSees::Waiting)
    }
}

/// What the clerk's status line says of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLine {
    /// Time since the customer was identified.
    pub elapsed: Option<Duration>,
    pub rating: Option<ClerkSees>,
    /// The hall's queue, when the window is linked to one.
    pub queue: Option<super::calling::QueueLine>,
}

impl Desk {
    /// Starts the customer display on its configured address, with the
    /// counter's secret (made on first use). The workstation runs on
    /// without one: the message says why and what to do.
    pub fn start_display(&mut self) -> Result<(), Msg> {
        if !self.config.display.enabled || self.training {
            return Ok(());
        }
        let secret = self.display_secret().map_err(|e| e.into_msg())?;
        let address = self.config.display.address.clone();
        let display = Display::start(&address, secret).map_err(|e| match e {
            StartError::InUse(a) => msg!("display.in_use", address = a),
            StartError::BadAddress(a) => msg!("display.bad_address", address = a),
            StartError::Other(a, why) => msg!("display.failed", address = a, why = why),
        })?;
        let listening = display.addr();
        tracing::info!(address = %listening, "customer display listening");
        self.window.display = Some(display);
        self.reshow();
        Ok(())
    }

    /// The display's address with its secret, for a duty manager's eyes.
    pub fn display_url(&self, session: &Session) -> Result<Option<String>, super::DeskError> {
        if session.role() != crate::domain::clerk::Role::DutyManager {
            return Err(super::DeskError::new(msg!("display.duty_manager_only")));
        }
        Ok(self.window.display.as_ref().map(Display::url))
    }

    /// A new secret for the display: the old address stops answering.
    pub fn rotate_display_secret(
        &mut self,
        session: &Session,
    ) -> Result<Option<String>, super::DeskError> {
        if session.role() != crate::domain::clerk::Role::DutyManager {
            return Err(super::DeskError::new(msg!("display.duty_manager_only")));
        }
        let secret = crate::hq::tokens::new_token().map_err(|why| {
            super::DeskError::new(msg!("display.failed", address = "-", why = why))
        })?;
        let by = session.clerk_id();
        let kept = secret.clone();
        self.store.write(Some(by), |tx, now| {
            ratings::set_display_secret(tx, &kept, Some(by), now)?;
            Ok((
                (),
                crate::store::Event::new("display.rotate", "display", serde_json::json!({})),
            ))
        })?;
        if let Some(d) = &self.window.display {
            d.rotate(secret);
        }
        self.display_url(session)
    }

    fn display_secret(&mut self) -> Result<String, super::DeskError> {
        if let Some(s) = ratings::display_secret(self.store.conn())? {
            return Ok(s);
        }
        let secret = crate::hq::tokens::new_token().map_err(|why| {
            super::DeskError::new(msg!("display.failed", address = "-", why = why))
        })?;
        let kept = secret.clone();
        self.store
            .scratch(|tx, now| ratings::set_display_secret(tx, &kept, None, now))?;
        Ok(secret)
    }

    /// What the customer may see now, from the clerk's screen, after every
    /// key: the handling time starts with the first customer served.
    pub fn show(&mut self, session: Option<&Session>, moment: Moment, lang: Option<Lang>) {
        let now = self.clock().now();
        if moment.is_service() {
            if self.window.started.is_none() {
                self.window.started = Some(now);
                // The customer called is here: the ticket's service starts.
                self.ticket_service_started();
            }
        } else if !self.window.waiting() && matches!(moment, Moment::Idle) {
            // Back to nobody without a transaction: no service to time.
            self.window.started = None;
        }
        let clerk = session.map(|s| ClerkCard {
            name: s.name().to_string(),
            staff_no: s.staff_no().to_string(),
        });
        if clerk != self.window.clerk {
            // Another clerk at the window: what was said of the last one's
            // rating is theirs (a rating still asked for is still awaited).
            if !self.window.waiting() {
                self.window.last = None;
            }
            self.window.started = None;
        }
        self.window.clerk = clerk;
        self.window.moment = moment;
        self.window.lang = lang;
        self.reshow();
    }

    /// Publishes the display's state, if a display runs.
    pub(super) fn reshow(&mut self) {
        if self.window.display.is_none() {
            return;
        }
        let json = crate::display::wire::facing_json(&self.facing());
        if let Some(d) = &self.window.display {
            d.publish(json);
        }
    }

    /// The whole display as it stands.
    pub fn facing(&self) -> Facing {
        let now = self.clock().now();
        let hall = &self.config.hall;
        let lang = self.window.lang.unwrap_or(self.config.language);
        let asking = match &self.window.last {
            Some(l) if l.seen == ClerkSees::Waiting => Asking::Rate {
                reference: l.reference.clone(),
                seconds_left: (l.until - now).num_seconds().clamp(0, 3600) as u32,
            },
            Some(Last {
                seen: ClerkSees::Rated,
                ended: Some(at),
                ..
            }) if now - *at < Duration::seconds(THANKS_SECONDS) => Asking::Thanks,
            _ => Asking::Nothing,
        };
        let notices = match lang {
            Lang::Zh => self.config.display.notices.clone(),
            Lang::En => self.config.display.notices_en.clone(),
        };
        Facing {
            lang,
            hall: Named::new(&hall.name, &hall.name_en),
            window: hall.window.clone(),
            clerk: self.window.clerk.clone(),
            moment: self.window.moment.clone(),
            asking,
            notices,
            duty_manager: hall.duty_manager.clone(),
            duty_manager_phone: hall.duty_manager_phone.clone(),
            ticket: self.current_ticket().map(|t| t.label.clone()),
        }
    }

    /// The periodic wake-up of the window: ratings offered by the display
    /// are recorded (or refused) and answered, ratings whose time ran out
    /// (or whose display is gone) become "not rated", the thanks ends.
    /// True when the clerk's screen should be redrawn.
    pub fn window_tick(&mut self) -> bool {
        let mut changed = self.queue_tick();
        while let Some(offer) = self.window.display.as_ref().and_then(Display::next_offer) {
            let outcome = self.rate(
                &offer.reference,
                &offer.level,
                &offer.reasons,
                &offer.channel,
            );
            offer.answer(outcome);
            changed = true;
        }
        let gone = self
            .window
            .display
            .as_ref()
            .and_then(Display::unwatched_for)
            .is_some_and(|d| d.as_secs() >= GONE_SECONDS);
        let now = self.clock().now();
        let due = self
            .window
            .last
            .as_ref()
            .is_some_and(|l| l.seen == ClerkSees::Waiting && (gone || l.until < now));
        if due {
            match self.expire_ratings(gone) {
                Ok(c) => changed |= c,
                Err(e) => tracing::error!("rating time-out not recorded: {e}"),
            }
        }
        let thanks_over = matches!(
            &self.window.last,
            Some(Last { seen: ClerkSees::Rated, ended: Some(at), .. })
                if now - *at >= Duration::seconds(THANKS_SECONDS)
                    && now - *at < Duration::seconds(THANKS_SECONDS + 2)
        );
        if thanks_over {
            self.reshow();
        }
        changed
    }

    /// The status line's service part: elapsed handling time and what the
    /// clerk may know of the rating.
    pub fn service_line(&self) -> ServiceLine {
        let now = self.clock().now();
        // "Rated" or "not rated" stays a little while, then the line is clear
        // for the next customer.
        let rating = self.window.last.as_ref().and_then(|l| match l.ended {
            Some(at) if now - at >= Duration::seconds(SAID_SECONDS) => None,
            _ => Some(l.seen),
        });
        ServiceLine {
            elapsed: self.window.started.map(|s| now - s),
            rating,
            queue: self.queue_line(),
        }
    }

    /// Whether a customer display runs.
    pub fn display_running(&self) -> bool {
        self.window.display.is_some()
    }

    /// The display's address (tests and the benchmark connect to it).
    pub fn display_addr(&self) -> Option<std::net::SocketAddr> {
        self.window.display.as_ref().map(Display::addr)
    }
}
