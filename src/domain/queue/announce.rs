//! What the hall display says for a call: the number and the window, in
//! Chinese and, where configured, English.

/// "请 A023 号到 3 号窗口办理".
pub fn zh(ticket: &str, window: &str) -> String {
    format!("请 {ticket} 号到 {window} 号窗口办理")
}

/// "Ticket A023, please go to window 3."
pub fn en(ticket: &str, window: &str) -> String {
    format!("Ticket {ticket}, please go to window {window}.")
}
