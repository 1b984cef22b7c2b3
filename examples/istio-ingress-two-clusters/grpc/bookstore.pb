
Ø
bookstore.protobookstore.v1"-
Shelf
id (Rid
theme (	Rtheme"
ListShelvesRequest"D
ListShelvesResponse-
shelves (2.bookstore.v1.ShelfRshelves"'
GetShelfRequest
shelf (Rshelf2—
	Bookstoreg
ListShelves .bookstore.v1.ListShelvesRequest!.bookstore.v1.ListShelvesResponse"Ç”‰ì/v1/shelves[
GetShelf.bookstore.v1.GetShelfRequest.bookstore.v1.Shelf"Ç”‰ì/v1/shelves/{shelf}bproto3