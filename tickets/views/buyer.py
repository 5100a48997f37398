"""The buyer's pages: the contact form, their requests and each request's thread."""
