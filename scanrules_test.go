package garage_test

import (
	"go/types"
	"strings"
)

const failpointPath = "github.com/pingcap/failpoint"

// importRule returns the rule an import of path breaks in the scanned
// package, or "".
func (s *scanner) importRule(path string) string {
	switch {
	case path == "crypto/rand":
		return "crypto-rand"
	case path == "os" || strings.HasPrefix(path, "os/") || path == "syscall" || path == "io/ioutil":
		return "os-io"
	case path == "net/url" || path == "net/netip":
		return "" // pure parsing, no I/O
	case path == "net/http" || strings.HasPrefix(path, "net/http/"):
		if s.cfg.HTTPAllowed[s.pkg.Path] {
			return ""
		}
		return "net-io"
	case path == "net" || strings.HasPrefix(path, "net/"):
		return "net-io"
	case path == failpointPath && s.pkg.Path != s.cfg.FailpointPkg:
		return "failpoint-direct"
	}
	return ""
}

// bannedFuncs maps "pkgpath.Func" and "pkgpath.Type.Method" to the rule
// that bans it. math/rand is handled apart (randRule).
func bannedFuncs() map[string]string {
	m := map[string]string{
		"reflect.Select":         "select-stmt",
		"reflect.MakeChan":       "chan-make",
		"reflect.ChanOf":         "chan-make",
		"sync.NewCond":           "sync-block",
		"sync.WaitGroup.Wait":    "sync-block",
		"sync.WaitGroup.Go":      "sync-block",
		"log/slog.Default":       "stdio",
		"log/slog.SetDefault":    "stdio",
		"sync.Map.Range":         "map-range",
		"reflect.Value.MapKeys":  "map-range",
		"reflect.Value.MapRange": "map-range",
	}
	for _, f := range []string{"Abs", "EvalSymlinks", "Glob", "Walk", "WalkDir"} {
		m["path/filepath."+f] = "os-io"
	}
	// Since Go 1.26 these ignore the reader they are given (unless
	// GODEBUG=cryptocustomrand=1) and read crypto/rand: nondeterministic
	// in the simulator whatever stream is passed.
	for _, f := range []string{
		"crypto/ecdsa.GenerateKey", "crypto/ecdsa.SignASN1", "crypto/ecdsa.Sign", "crypto/ecdsa.PrivateKey.Sign",
		"crypto/rsa.GenerateKey", "crypto/rsa.GenerateMultiPrimeKey", "crypto/rsa.EncryptPKCS1v15",
		"crypto/ecdh.Curve.GenerateKey", "crypto/dsa.GenerateKey", "crypto/dsa.GenerateParameters", "crypto/dsa.Sign",
	} {
		m[f] = "crypto-rand"
	}
	for _, f := range []string{"Now", "Sleep", "After", "AfterFunc", "NewTimer", "NewTicker", "Tick", "Since", "Until"} {
		m["time."+f] = "wall-time"
	}
	for _, f := range []string{"AfterFunc", "WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause"} {
		m["context."+f] = "context-ctor"
	}
	for _, f := range []string{"Print", "Printf", "Println"} {
		m["fmt."+f] = "stdio"
	}
	for _, f := range []string{"Debug", "Info", "Warn", "Error", "Log", "LogAttrs", "DebugContext", "InfoContext", "WarnContext", "ErrorContext", "SetLogLoggerLevel"} {
		m["log/slog."+f] = "stdio"
	}
	for _, f := range []string{"Inject", "InjectContext", "InjectCall", "Break", "Goto", "Continue", "Fallthrough", "Return", "Label"} {
		m[failpointPath+"."+f] = "failpoint-marker"
	}
	return m
}

// objectRule returns the rule a use of obj breaks and a name for it, or "".
func objectRule(obj types.Object) (rule, what string) {
	if obj == nil || obj.Pkg() == nil {
		return "", ""
	}
	key := objectKey(obj)
	if rule := bannedFuncs()[key]; rule != "" {
		return rule, key
	}
	if key == "sync.Cond" {
		return "sync-block", key
	}
	if rule := packageFuncRule(obj); rule != "" {
		return rule, key
	}
	return "", ""
}

// objectKey names obj as "pkgpath.Name" or, for a method,
// "pkgpath.Type.Method".
func objectKey(obj types.Object) string {
	fn, ok := obj.(*types.Func)
	if !ok {
		return obj.Pkg().Path() + "." + obj.Name()
	}
	fn = fn.Origin()
	recv := fn.Signature().Recv()
	if recv == nil {
		return fn.Pkg().Path() + "." + fn.Name()
	}
	t := recv.Type()
	if p, isPtr := t.(*types.Pointer); isPtr {
		t = p.Elem()
	}
	if named, isNamed := t.(*types.Named); isNamed {
		return fn.Pkg().Path() + "." + named.Obj().Name() + "." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// packageFuncRule bans whole families of package-level functions: the
// global randomness of math/rand and math/rand/v2 (constructors of a
// generator from a source the caller passes in are fine), and the
// package-level output of log (log.New is fine).
func packageFuncRule(obj types.Object) string {
	fn, ok := obj.(*types.Func)
	if !ok || fn.Signature().Recv() != nil {
		return ""
	}
	switch fn.Pkg().Path() {
	case "math/rand", "math/rand/v2":
		if !strings.HasPrefix(fn.Name(), "New") {
			return "global-rand"
		}
	case "log":
		if fn.Name() != "New" {
			return "stdio"
		}
	}
	return ""
}
