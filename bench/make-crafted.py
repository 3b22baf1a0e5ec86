#!/usr/bin/env python3
"""Writes hostile inputs for the rule engine into a folder: files built to make a scanner crawl.

Usage: bench/make-crafted.py DIR [MB_PER_FILE]

Each file is about MB_PER_FILE (default 2) of one shape: fragments of every trigger word, one
very long line, deep nesting, a goto maze, thousands of small functions calling each other,
decoder loops over big strings, comments glued between every token, huge concatenations,
`*/` runs, an obfuscator-style JavaScript string table, and a .htaccess of endless rewrites.
None of it runs (no opening tag where PHP would run it matters: the files are data for
`cargo run --release --example rulebench -- DIR`, which prints the MB/s; see the README).
"""
import os, random, sys

out = sys.argv[1]
size = int(float(sys.argv[2] if len(sys.argv) > 2 else 2) * 1_000_000)
os.makedirs(out, exist_ok=True)
rnd = random.Random(7)
TRIGGERS = ["eval(", "assert(", "base64_decode(", "gzinflate(", "$_POST[", "$_GET[", "system(",
            "exec(", "include $", "create_function(", "preg_replace(", "call_user_func(",
            "file_put_contents(", "fwrite(", "chr(", "\\x65", "str_rot13(", "GLOBALS", "mail(",
            "curl_exec(", "HTTP_USER_AGENT", "move_uploaded_file(", "__REMOTE__", "goto ",
            "fromCharCode(", "document.write(", "<?php", "<?=", "unlink(__FILE__)"]


def fill(unit):
    """Repeats unit() until the file has `size` bytes."""
    parts, n = [], 0
    while n < size:
        p = unit()
        parts.append(p)
        n += len(p)
    return "".join(parts)


def write(name, text):
    with open(os.path.join(out, name), "w", encoding="latin-1") as f:
        f.write(text)


write("fragments.php", "<?php\n" + fill(lambda: rnd.choice(TRIGGERS) + " "))
write("one-line.php", "<?php $a = '" + fill(lambda: rnd.choice(TRIGGERS).replace("'", "")) + "';")
write("nesting.php", "<?php $x = " + "(" * 200_000 + "1" + ")" * 200_000 + ";\n" + fill(lambda: "f(g(h($_GET[1]," * 50 + ")))" * 50 + ";\n"))
labels = [f"L{i}" for i in range(60_000)]
rnd.shuffle(labels)
write("goto-maze.php", "<?php goto L0;\n" + "".join(f"L{i}: $v{i % 97} = 'a' . $v{(i + 1) % 97}; goto L{i + 1};\n" for i in range(60_000)) + "L60000: eval($v1);")
write("functions.php", "<?php\n" + "".join(f"function f{i}($a) {{ return f{i + 1}($a . 'x') . f{(i * 7) % 3000}($a); }}\n" for i in range(3000)) + fill(lambda: f"$r = f{rnd.randrange(3000)}('q');\n"))
write("decoder-loop.php", "<?php function d($s) { $o = ''; for ($i = 0; $i < strlen($s); $i++) { $o .= chr(ord($s[$i]) ^ 7); } return $o; }\n$p = '" + "A" * (size // 2) + "';\n" + "eval(d($p));\n" * 200)
write("glued-comments.php", "<?php " + fill(lambda: "eval/*x*/(/*y*/base64_decode/*z*/('YQ==')/**/)/**/;"))
write("concatenation.php", "<?php $s = " + fill(lambda: "'ev' . /* */ 'al' . ") + "'';\n$s($_POST['x']);")
write("comment-ends.php", "<?php " + fill(lambda: "*/(" * 10 + "\n"))
write("string-table.js", "var t=[" + fill(lambda: "'eval','//x.example.invalid/',") + "'x'];t['push'](t['shift']());")
os.makedirs(os.path.join(out, "htaccess"), exist_ok=True)
write("indexed-table.js", "var t=[" + ",".join("'" + "y" * 200 + "'" for _ in range(2000)) + "];" + fill(lambda: "f(t[7]);"))
write("packed.js", "eval(function(p,a,c,k,e,d){return p}('" + fill(lambda: rnd.choice(["0 ", "1 ", "a ", "Z ", "1a ", "zz "])) + "',62,3000,'" + "|".join(f"w{i}" for i in range(3000)) + "'.split('|'),0,{}))\n")
write("htaccess/.htaccess", fill(lambda: "RewriteCond %{HTTP_REFERER} google\\.com [NC,OR]\n"))
print(f"crafted inputs in {out}")
