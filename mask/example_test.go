package mask_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"secretlings/mask"
)

func ExampleMask() {
	fmt.Println(mask.Mask("hunter2"))
	fmt.Println(mask.Mask("a much, much longer secret value"))
	// Output:
	// ••••••••
	// ••••••••
}

func ExamplePartial() {
	fmt.Println(mask.Partial("AKIAIOSFODNN7EXAMPLE", 4))
	fmt.Println(mask.PartialSuffix("4111111111111111", 4))
	fmt.Println(mask.Partial("short", 2)) // too short to reveal anything
	// Output:
	// AKIA••••••••
	// ••••••••1111
	// ••••••••
}

func ExampleJSON() {
	out, err := mask.JSON([]byte(`{"username": "admin", "password": "hunter22", "port": 5432, "hosts": ["a", "b"]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))

	_, err = mask.JSON([]byte(`{"password": hunter22}`))
	fmt.Println(err)
	// Output:
	// {"username": "••••••••", "password": "••••••••", "port": "••••••••", "hosts": ["••••••••", "••••••••"]}
	// mask: malformed JSON near byte 14 (the content is not shown); fix the document, or mask it whole with mask.Mask
}

func ExampleSecret() {
	type DB struct {
		User     string
		Password mask.Secret `json:"password"`
	}
	db := DB{User: "admin", Password: "hunter22"}
	fmt.Printf("%v %+v %s\n", db, db, db.Password)
	b, _ := json.Marshal(db)
	fmt.Println(string(b))
	fmt.Println(len(db.Password.Reveal()), "bytes to hand to the driver")
	// Output:
	// {admin ••••••••} {User:admin Password:••••••••} ••••••••
	// {"User":"admin","password":"••••••••"}
	// 8 bytes to hand to the driver
}

func ExampleRedactor() {
	r := mask.NewRedactor()
	r.AddSecret(`{"username": "admin", "password": "p@ss w0rd!"}`)
	fmt.Println(r.Redact("connecting with p@ss w0rd!"))
	fmt.Println(r.Redact("url: https://admin:p%40ss+w0rd%21@db.example.com"))
	fmt.Println(r.Redact("basic auth: Ym9iOnBAc3MgdzByZCE="))
	for _, f := range r.Find("the password is p@ss w0rd!") {
		fmt.Println(f)
	}
	// Output:
	// connecting with ••••••••
	// url: https://••••••••:••••••••@db.example.com
	// basic auth: Ym9iOn••••••••
	// known-value at line 1, column 17 (bytes 16-26)
}

func ExampleRedactor_Writer() {
	r := mask.NewRedactor()
	r.Add("hunter22")
	w := r.Writer(os.Stdout)
	// The value arrives split across writes, as from a child process.
	fmt.Fprint(w, "password: hun")
	fmt.Fprint(w, "ter")
	fmt.Fprint(w, "22\n")
	w.Close()
	// Output:
	// password: ••••••••
}

func ExampleNewHandler() {
	r := mask.NewRedactor()
	r.Add("hunter22")
	h := mask.NewHandler(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // stable example output
			}
			return a
		},
	}), r)
	log := slog.New(h)
	log.Info("login as admin with hunter22", "user", "admin", "api_key", "k-123-unregistered")
	// Output:
	// level=INFO msg="login as admin with ••••••••" user=admin api_key=••••••••
}

func ExampleDetect() {
	out := "creds loaded\naws_access_key_id=AKIAIOSFODNN7EXAMPLE\npassword: Xy7#pQ9!zR2@kL5m\n"
	for _, f := range mask.Detect(out) {
		fmt.Println(f)
	}
	// Output:
	// aws-access-key-id at line 2, column 19 (bytes 31-51)
	// high-entropy-value at line 3, column 11 (bytes 62-78)
}

func ExampleValue() {
	fmt.Println(mask.Value(`{"engine": "postgres", "password": "hunter22"}`))
	fmt.Println(mask.Value("plain-string-secret"))
	// Output:
	// {"engine": "••••••••", "password": "••••••••"}
	// ••••••••
}
