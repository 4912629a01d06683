package demoservice_test

import (
	"context"
	"errors"
	"fmt"

	"secretlings/aws/rotation/demoservice"
)

// A key works once registered and stops working once revoked.
func Example() {
	svc := demoservice.New("admin-token")
	srv, err := svc.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	ctx := context.Background()
	c := &demoservice.Client{BaseURL: srv.URL, AdminToken: "admin-token"}
	_ = c.AddKey(ctx, "app-a", "sk_example_key_0001")

	user, err := c.WhoAmI(ctx, "sk_example_key_0001")
	fmt.Println(user, err)

	_ = c.RevokeKey(ctx, "sk_example_key_0001")
	_, err = c.WhoAmI(ctx, "sk_example_key_0001")
	fmt.Println(errors.Is(err, demoservice.ErrUnauthorized))
	// Output:
	// app-a <nil>
	// true
}
