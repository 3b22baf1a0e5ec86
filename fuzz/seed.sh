#!/usr/bin/env bash
# Seeds fuzz/corpus/<target> from the test data (the corpus itself is not committed).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/{archive,decode,rules,sqldump,secrets}
cp ../tests/data/malware/*.php corpus/decode/
cp ../tests/data/malware/*.php ../tests/data/malware/*.js ../tests/data/malware/*.html corpus/rules/
cp ../tests/data/sample/database.sql corpus/sqldump/
cp ../tests/data/sample/wp-config.php corpus/secrets/
python3 - <<'PY'
import gzip, io, tarfile, zipfile
z = io.BytesIO(); zf = zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED)
zf.writestr("a/b.php", "<?php echo 1;"); zf.writestr("a/c.txt", "hello"); zf.close()
open("corpus/archive/seed.zip", "wb").write(z.getvalue())
t = io.BytesIO(); tf = tarfile.open(fileobj=t, mode="w")
ti = tarfile.TarInfo("a/b.php"); d = b"<?php echo 1;"; ti.size = len(d); tf.addfile(ti, io.BytesIO(d)); tf.close()
open("corpus/archive/seed.tar", "wb").write(t.getvalue())
open("corpus/archive/seed.tar.gz", "wb").write(gzip.compress(t.getvalue()))
PY
echo "seeded: $(ls corpus/* | wc -l) files"
