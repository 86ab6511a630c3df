use policy_lsp::analysis::*; use policy_lsp::config::Config;
fn main(){ let unit = "가나다 😀 \"quote clusters?concentrated ";
 let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
 let long = unit.repeat(n / unit.len());
 let t=std::time::Instant::now();
 let a=analyze(&long,DocumentKind::PlainText,&Config::default());
 println!("{} bytes: {} diags in {:?}", long.len(), a.diagnostics.len(), t.elapsed());
}
