{"id":8101,"title":"Harbour Linen Shirt","handle":"harbour-linen-shirt","description":"<p>Relaxed shirt in 100% linen.</p>","vendor":"Driftwood","type":"Men > Shirts","price":8900,"compare_at_price":12000,"available":true,
 "options":[{"name":"Colour","position":1,"values":["Sand","Navy"]},{"name":"Size","position":2,"values":["S","M","L"]}],
 "variants":[
  {"id":1,"title":"Sand / S","option1":"Sand","option2":"S","option3":null,"available":true,"price":8900},
  {"id":2,"title":"Sand / M","option1":"Sand","option2":"M","option3":null,"available":false,"price":8900},
  {"id":3,"title":"Navy / L","option1":"Navy","option2":"L","option3":null,"available":true,"price":8900}],
 "images":["//{{HOST}}/cdn/shop/files/harbour-sand_600x600.jpg?v=17","//{{HOST}}/cdn/shop/files/harbour-navy.jpg?v=17&width=300"],
 "featured_image":"//{{HOST}}/cdn/shop/files/harbour-sand.jpg?v=17"}
