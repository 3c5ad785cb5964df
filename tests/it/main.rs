//! Every integration test in one binary: each module drives one part of
//! the real thing (the App on a TestBackend, the built binary in a
//! pseudo-terminal, real SQLite files, PDFs, CUPS, HQ on loopback).
//! One binary links once instead of once per file.

mod common;

mod acceptance;
mod bills_import;
mod bills_paid;
mod calendar;
mod calendar_catalog;
mod case_edges;
mod cases;
mod cashier_amounts;
mod cashier_bills;
mod cashier_fees_cheques_reports;
mod cli;
mod config_errors;
mod consultations;
mod crash_payments;
mod credit_codes;
mod database_loss;
mod display_browser;
mod download;
mod fees_refunds;
mod forms_catalog;
mod forms_check;
mod hall;
mod hq_hostile;
mod hq_page;
mod hq_steps;
mod id_reader;
mod lab;
mod lab_scenarios;
mod lab_trainer;
mod managers;
mod materials_on_file;
mod message_catalog;
mod money;
mod progress_page;
mod pty_cases;
mod pty_counter;
mod pty_lab;
mod pty_money;
mod ratings;
mod scans;
mod signin_and_customers;
mod slips;
mod slips_pdf;
mod slips_reprint;
mod store;
mod unprinted_slips;
mod upload;
mod upload_screens;
mod upload_tls;
mod verify_checks;
