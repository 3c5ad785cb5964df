//! The cashier flows of the App: opening the cashier screen, and running
//! shift, payment, reversal and close actions on the desk.

use crate::desk::money::Close;
use crate::desk::slips::PrintOutcome;
use crate::msg;
use crate::tui::app::{App, Screen};
use crate::tui::cashier::Cashier;
use crate::tui::{Action, MoneySlip};

impl App {
    /// Runs the cashier actions.
    pub(super) fn perform_money(&mut self, action: Action) {
        let Some(session) = self.session.clone() else {
            return;
        };
        match action {
            Action::OpenCashier => {
                let open = matches!(self.desk.open_shift(&session), Ok(Some(_)));
                let today = self.desk.clock().today();
                self.park();
                self.screen = Screen::Cashier(Box::new(Cashier::new(
                    open,
                    today,
                    &self.desk.config().money,
                )));
            }
            Action::LeaveCashier => self.unpark(),
            Action::OpenShift(float) => {
                let result = self.desk.start_shift(&session, &float);
                if let Screen::Cashier(c) = &mut self.screen {
                    match result {
                        Ok(_) => c.opened(),
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::PayBill(bill) => {
                let result = self.desk.pay_bill(&session, &bill);
                if let Screen::Cashier(c) = &mut self.screen {
                    match result {
                        Ok(p) => c.paid(p),
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::ReversePayment {
                receipt,
                staff_no,
                password,
                reason,
            } => {
                let result = self
                    .desk
                    .authorise(&session, &staff_no, &password, "payment.reverse")
                    .and_then(|by| self.desk.reverse_payment(&session, &receipt, &by, &reason));
                if let Screen::Cashier(c) = &mut self.screen {
                    match result {
                        Ok(p) => c.reversed(&p.receipt_no),
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::CloseShift(counted, note) => {
                let result = match &note {
                    Some((staff, pw, text)) => self
                        .desk
                        .authorise(&session, staff, pw, "shift.close")
                        .and_then(|by| {
                            self.desk
                                .close_shift(&session, &counted, Some((&by, text.as_str())))
                        }),
                    None => self.desk.close_shift(&session, &counted, None),
                };
                if let Screen::Cashier(c) = &mut self.screen {
                    match result {
                        Ok(Close::Closed(lines)) => c.closed(lines),
                        Ok(Close::NeedsNote(lines)) => c.needs_note(lines),
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::LookupBills(account) => {
                let found = self.desk.open_bills(&account);
                if let Screen::Cashier(c) = &mut self.screen {
                    match found {
                        Ok(bills) => c.bill_found(bills.into_iter().next()),
                        Err(e) => {
                            c.refused(e.0);
                            c.bill_found(None);
                        }
                    }
                }
            }
            Action::PayFee(fee) => {
                let result = self.desk.pay_fee(&session, &fee);
                if let Screen::Cashier(c) = &mut self.screen {
                    match result {
                        Ok(p) => c.paid(p),
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::LookupFees(ticket) => {
                let found = self.desk.fees_due(&ticket);
                if let Screen::Cashier(c) = &mut self.screen {
                    match found {
                        Ok(due) => c.fees_found(due),
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::Refund(request) => {
                let result = self.desk.refund(&session, &request);
                if let Screen::Cashier(c) = &mut self.screen {
                    match result {
                        Ok(r) => c.refunded(&r.refund_no, r.amount),
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::ListCheques => {
                let found = self.desk.held_cheques();
                if let Screen::Cashier(c) = &mut self.screen {
                    match found {
                        Ok(list) => c.cheques_found(list),
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::ConfirmCheque { receipt, bank_ref } => {
                let result = self.desk.confirm_cheque(&session, &receipt, &bank_ref);
                let list = self.desk.held_cheques();
                if let Screen::Cashier(c) = &mut self.screen {
                    match result {
                        Ok(()) => {
                            if let Ok(list) = list {
                                c.cheques_found(list);
                            }
                            c.cheque_cleared(&receipt);
                        }
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::DishonourCheque {
                receipt,
                staff_no,
                password,
                reason,
            } => {
                let result = self
                    .desk
                    .authorise(&session, &staff_no, &password, "cheque.dishonour")
                    .and_then(|by| self.desk.dishonour_cheque(&session, &receipt, &by, &reason));
                let list = self.desk.held_cheques();
                if let Screen::Cashier(c) = &mut self.screen {
                    match (result, list) {
                        (Ok(()), Ok(list)) => c.cheque_dishonoured(&receipt, list),
                        (Err(e), _) | (_, Err(e)) => c.refused(e.0),
                    }
                }
            }
            Action::DayReport(date) => {
                let report = self.desk.day_report(date);
                if let Screen::Cashier(c) = &mut self.screen {
                    match report {
                        Ok(r) => c.report_found(r),
                        Err(e) => c.refused(e.0),
                    }
                }
            }
            Action::PrintMoneySlip(_) | Action::PrintSettlement => {
                let m = match self.slip_font.as_ref().map(|l| l.get()) {
                    None => msg!("slips.font_problem", detail = "-"),
                    Some(None) => msg!("slips.font_loading"),
                    Some(Some(Err(e))) => msg!("slips.font_problem", detail = e),
                    Some(Some(Ok(font))) => match match &action {
                        Action::PrintMoneySlip(MoneySlip::Receipt(receipt)) => {
                            self.desk.produce_receipt(&session, receipt, None, &font)
                        }
                        Action::PrintMoneySlip(MoneySlip::Reversal(receipt)) => {
                            self.desk.produce_reversal(&session, receipt, None, &font)
                        }
                        Action::PrintMoneySlip(MoneySlip::Refund(number)) => {
                            self.desk.produce_refund(&session, number, None, &font)
                        }
                        _ => self.desk.produce_settlement(&session, &font),
                    } {
                        Ok(p) => match p.printed {
                            PrintOutcome::Failed(why) => {
                                msg!("slips.print_failed", detail = why, file = p.file.display())
                            }
                            PrintOutcome::FileOnly => {
                                msg!("slips.saved_only", n = 1, files = p.file.display())
                            }
                            PrintOutcome::Sent(_) => {
                                msg!("slips.printed", n = 1, files = p.file.display())
                            }
                        },
                        Err(e) => e.0,
                    },
                };
                if let Screen::Cashier(c) = &mut self.screen {
                    c.refused(m);
                }
            }
            _ => {}
        }
    }
}
