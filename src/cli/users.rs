//! `joinedup --db postgres://OWNER@HOST/DB users add|list|disable|set-role`.

use std::io::BufRead;
use std::process::ExitCode;

use super::UsersCmd;
use crate::service::Service;
use crate::store::access::NewUser;

pub(super) fn users(service: &mut Service, command: UsersCmd) -> anyhow::Result<ExitCode> {
    match command {
        UsersCmd::Add {
            name,
            role,
            team,
            organisation,
            password_stdin,
        } => {
            let password = if password_stdin { Some(read_password()?) } else { None };
            let user = NewUser {
                name: &name,
                role,
                team: team.as_deref(),
                organisation: organisation.as_deref(),
                password: password.as_deref(),
            };
            service.add_user(&user, super::now())?;
            println!("added {name} as {}", role.code());
        }
        UsersCmd::List { json } => {
            let users = service.users()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                for u in &users {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        u.name,
                        u.role.as_deref().unwrap_or("no role"),
                        u.team.as_deref().unwrap_or("-"),
                        u.organisation.as_deref().unwrap_or("-"),
                        if u.can_sign_in { "can sign in" } else { "disabled" }
                    );
                }
            }
        }
        UsersCmd::Disable { name } => {
            service.disable_user(&name, super::now())?;
            println!("disabled {name}");
        }
        UsersCmd::SetRole { name, role } => {
            service.set_user_role(&name, role, super::now())?;
            println!("{name} is now {}", role.code());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The first line of stdin, without its line ending; a blank one is refused.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let pw = line.trim_end_matches(['\r', '\n']).to_owned();
    if pw.is_empty() {
        anyhow::bail!("no password was given on stdin");
    }
    Ok(pw)
}
